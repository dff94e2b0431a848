import { paymentTtlBounds } from '@lapak/contracts';
import type { PageDefinition } from '../application-export';
import { js, runQuery } from '../triggers';
import { button, input, text } from '../widgets';

const settings = 'getSettings.data';
/** The loaded value of a setting, or nothing until the settings have loaded. */
const loaded = (expression: string) => js(`${settings} ? ${expression} : ''`);

interface Setting {
  /**
   * The setting's field in the API (the payment window's hours and minutes have names of their
   * own); its input is named after it (`shopName`: `ShopName`).
   */
  key: string;
  label: string;
  at: { top: number; left: number; width: number };
  /** What the input starts from: the loaded setting `key` unless given. */
  value?: string;
}

const inputName = (setting: Setting) => setting.key[0]!.toUpperCase() + setting.key.slice(1);

/** A required input of the form (seven rows tall), starting from the loaded value. */
const settingInput = (setting: Setting, type: 'TEXT' | 'NUMBER') =>
  input(
    inputName(setting),
    { ...setting.at, height: 7 },
    {
      label: setting.label,
      type,
      required: true,
      defaultText: loaded(setting.value ?? `${settings}.${setting.key}`),
    },
  );

/** What the save sends for each setting of `group`: the text typed, or the number typed. */
const saved = (group: Setting[], type: 'TEXT' | 'NUMBER') =>
  Object.fromEntries(
    group.map((setting) => {
      const typed = `${inputName(setting)}.text`;
      return [setting.key, type === 'NUMBER' ? `{{Number(${typed})}}` : `{{${typed}}}`];
    }),
  );

const shop: Setting[] = [{ key: 'shopName', label: 'Shop name', at: { top: 14, left: 0, width: 30 } }];
/** Hours and minutes of the one `paymentTtlSeconds` they are saved as. */
const paymentWindow: Setting[] = [
  {
    key: 'paymentWindowHours',
    label: 'Payment window: hours',
    at: { top: 14, left: 32, width: 15 },
    value: `Math.floor(${settings}.paymentTtlSeconds / 3600)`,
  },
  {
    key: 'paymentWindowMinutes',
    label: 'and minutes',
    at: { top: 14, left: 49, width: 15 },
    value: `(${settings}.paymentTtlSeconds % 3600) / 60`,
  },
];
const bank: Setting[] = [
  { key: 'bankName', label: 'Bank', at: { top: 22, left: 0, width: 30 } },
  { key: 'bankAccountNumber', label: 'Account number', at: { top: 22, left: 32, width: 32 } },
  { key: 'bankAccountHolder', label: 'Account holder', at: { top: 30, left: 0, width: 30 } },
];
const limits: Setting[] = [
  { key: 'maxOpenOrdersPerUser', label: 'Open orders per shopper', at: { top: 38, left: 0, width: 30 } },
  { key: 'maxUnitsPerLine', label: 'Units of a product per order', at: { top: 38, left: 32, width: 32 } },
  { key: 'lowStockThreshold', label: 'Low-stock alert below (0: off)', at: { top: 46, left: 0, width: 30 } },
];

/** The settings' inputs, each starting from the loaded value (Discard resets them all). */
const inputs = [
  ...shop.map((setting) => settingInput(setting, 'TEXT')),
  ...paymentWindow.map((setting) => settingInput(setting, 'NUMBER')),
  ...bank.map((setting) => settingInput(setting, 'TEXT')),
  ...limits.map((setting) => settingInput(setting, 'NUMBER')),
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
        ...saved(shop, 'TEXT'),
        paymentTtlSeconds:
          '{{Math.round(Number(PaymentWindowHours.text) * 3600 + Number(PaymentWindowMinutes.text) * 60)}}',
        ...saved(bank, 'TEXT'),
        ...saved(limits, 'NUMBER'),
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
