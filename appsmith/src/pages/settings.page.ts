import { paymentTtlBounds } from '@lapak/contracts';
import type { PageDefinition } from '../application-export';
import { js, runQuery } from '../triggers';
import { button, input, text } from '../widgets';

const settings = 'getSettings.data';
/** The loaded value of a setting, or nothing until the settings have loaded. */
const loaded = (expression: string) => js(`${settings} ? ${expression} : ''`);

/** The settings' inputs, each starting from the loaded value (Discard resets them all). */
const inputs = [
  input(
    'ShopName',
    { top: 14, left: 0, height: 7, width: 30 },
    { label: 'Shop name', required: true, defaultText: loaded(`${settings}.shopName`) },
  ),
  input(
    'PaymentWindowHours',
    { top: 14, left: 32, height: 7, width: 15 },
    {
      label: 'Payment window: hours',
      type: 'NUMBER',
      required: true,
      defaultText: loaded(`Math.floor(${settings}.paymentTtlSeconds / 3600)`),
    },
  ),
  input(
    'PaymentWindowMinutes',
    { top: 14, left: 49, height: 7, width: 15 },
    {
      label: 'and minutes',
      type: 'NUMBER',
      required: true,
      defaultText: loaded(`(${settings}.paymentTtlSeconds % 3600) / 60`),
    },
  ),
  input(
    'BankName',
    { top: 22, left: 0, height: 7, width: 30 },
    { label: 'Bank', required: true, defaultText: loaded(`${settings}.bankName`) },
  ),
  input(
    'BankAccountNumber',
    { top: 22, left: 32, height: 7, width: 32 },
    { label: 'Account number', required: true, defaultText: loaded(`${settings}.bankAccountNumber`) },
  ),
  input(
    'BankAccountHolder',
    { top: 30, left: 0, height: 7, width: 30 },
    { label: 'Account holder', required: true, defaultText: loaded(`${settings}.bankAccountHolder`) },
  ),
  input(
    'MaxOpenOrdersPerUser',
    { top: 38, left: 0, height: 7, width: 30 },
    {
      label: 'Open orders per shopper',
      type: 'NUMBER',
      required: true,
      defaultText: loaded(`${settings}.maxOpenOrdersPerUser`),
    },
  ),
  input(
    'MaxUnitsPerLine',
    { top: 38, left: 32, height: 7, width: 32 },
    {
      label: 'Units of a product per order',
      type: 'NUMBER',
      required: true,
      defaultText: loaded(`${settings}.maxUnitsPerLine`),
    },
  ),
  input(
    'LowStockThreshold',
    { top: 46, left: 0, height: 7, width: 30 },
    {
      label: 'Low-stock alert below (0: off)',
      type: 'NUMBER',
      required: true,
      defaultText: loaded(`${settings}.lowStockThreshold`),
    },
  ),
];

/**
 * The shop settings (`GET` and `PATCH /settings`): the shop's name and the bank account that
 * payment instructions name, the payment window and the checkout limits. The window is entered in hours and minutes
 * and sent as `paymentTtlSeconds`; minutes may have a fraction, so any number of seconds the API
 * holds shows and saves back unchanged.
 */
export const settingsPage: PageDefinition = {
  name: 'Settings',
  slug: 'settings',
  queries: [
    { name: 'getSettings', method: 'GET', path: '/settings', onLoad: true },
    {
      // Every field is sent: each input starts from the loaded value, so an untouched one saves unchanged.
      name: 'updateSettings',
      method: 'PATCH',
      path: '/settings',
      body: {
        shopName: '{{ShopName.text}}',
        paymentTtlSeconds:
          '{{Math.round(Number(PaymentWindowHours.text) * 3600 + Number(PaymentWindowMinutes.text) * 60)}}',
        bankName: '{{BankName.text}}',
        bankAccountNumber: '{{BankAccountNumber.text}}',
        bankAccountHolder: '{{BankAccountHolder.text}}',
        maxOpenOrdersPerUser: '{{Number(MaxOpenOrdersPerUser.text)}}',
        maxUnitsPerLine: '{{Number(MaxUnitsPerLine.text)}}',
        lowStockThreshold: '{{Number(LowStockThreshold.text)}}',
      },
    },
  ],
  widgets: [
    text('SettingsTitle', { top: 0, left: 0, height: 5, width: 40 }, 'Settings', { size: 'heading' }),
    text(
      'SettingsIntro',
      { top: 6, left: 0, height: 8, width: 64 },
      "Every bank transfer's payment instructions name the shop and the account below. The payment " +
        'window is how long a transfer may stay unpaid: then the order fails (payment_expired) and its ' +
        `stock returns. It is between ${paymentTtlBounds.min} seconds and ` +
        `${paymentTtlBounds.max / 86_400} days; a new window applies to orders reserved from then on, ` +
        'and an order already awaiting payment keeps its deadline. The checkout limits keep one ' +
        'shopper from holding the shelves: the orders a shopper may have open (pending or awaiting ' +
        'payment) at once, and the units of one product an order may ask for. A product or variant ' +
        'whose stock falls below the low-stock threshold raises one stock.low alert (the shop is ' +
        'mailed by the stock-alerts flow).',
      { size: 'small' },
    ),
    ...inputs,
    text(
      'SettingsSaved',
      { top: 54, left: 0, height: 5, width: 30 },
      loaded(
        `'Payment window now ' + ${settings}.paymentTtlSeconds + ' s; last changed ' + ${settings}.updatedAt`,
      ),
      { size: 'small' },
    ),
    button(
      'DiscardSettings',
      { top: 47, left: 32, height: 4, width: 15 },
      {
        label: 'Discard changes',
        variant: 'SECONDARY',
        onClick: js(
          `Promise.all([${inputs.map((field) => `resetWidget('${field.widgetName}')`).join(', ')}])`,
        ),
      },
    ),
    button(
      'SaveSettings',
      { top: 47, left: 49, height: 4, width: 15 },
      {
        label: 'Save',
        onClick: runQuery('updateSettings', {
          success: 'Settings saved',
          failure: 'Could not save the settings',
          reload: ['getSettings'],
        }),
      },
    ),
  ],
};
