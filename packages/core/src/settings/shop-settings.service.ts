import type { EntityManager } from '@mikro-orm/postgresql';
import type { ShopSettings as ShopSettingsDto, ShopSettingsPatch } from '@lapak/contracts';
import { ShopSettingsRepository } from './shop-settings.repository';

/**
 * The settings an admin changes at run time. A new payment window applies to orders reserved
 * from then on: a reservation keeps the deadline it was given.
 */
export class ShopSettingsService {
  constructor(private readonly em: EntityManager) {}

  get(): Promise<ShopSettingsDto> {
    return new ShopSettingsRepository(this.em).get();
  }

  update(patch: ShopSettingsPatch): Promise<ShopSettingsDto> {
    return new ShopSettingsRepository(this.em).update(patch);
  }
}
