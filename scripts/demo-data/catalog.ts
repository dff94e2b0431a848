/**
 * The demo shop: "Lapak Nusantara", a small Indonesian shop of coffee, spices, snacks, textiles
 * and crafts. Prices are in rupiah minor units (IDR has two decimals in ISO 4217).
 */
export interface DemoCategory {
  slug: string;
  name: string;
  /** Background and accent colours of its product pictures. */
  colors: [string, string];
  description: string;
}

interface DemoProductBase {
  sku: string;
  name: string;
  category: string;
  /** Drafts are not shown in the shop. */
  status?: 'draft' | 'published';
  motif: 'bean' | 'leaf' | 'chili' | 'wave' | 'batik' | 'bowl';
  description: string;
  highlights: string[];
  /**
   * Skus of earlier demo products this one takes the place of (a coffee once sold per weight
   * as products of its own): a demo shop loaded before keeps them, archived.
   */
  replaces?: string[];
}

/** A product sold as it is: one price, one stock. */
export interface DemoSimpleProduct extends DemoProductBase {
  rupiah: number;
  stock: number;
}

export interface DemoVariant {
  sku: string;
  values: Record<string, string>;
  rupiah: number;
  stock: number;
  /** The variant gets a picture of its own, with its values written on it. */
  picture?: boolean;
}

/** A product the shopper chooses a variant of (a weight, a length). */
export interface DemoVariantProduct extends DemoProductBase {
  options: { name: string; values: string[] }[];
  variants: DemoVariant[];
}

export type DemoProduct = DemoSimpleProduct | DemoVariantProduct;

export const hasVariants = (product: DemoProduct): product is DemoVariantProduct => 'variants' in product;

/** What `POST /products` takes of a demo product besides its names: price and stock, or options and variants. */
export function demoPriceAndStock(product: DemoProduct) {
  if (!hasVariants(product)) return { priceCents: product.rupiah * 100, stock: product.stock };
  return {
    options: product.options,
    variants: product.variants.map((variant) => ({
      sku: variant.sku,
      optionValues: variant.values,
      priceCents: variant.rupiah * 100,
      stock: variant.stock,
    })),
  };
}

export const demoCategories: DemoCategory[] = [
  {
    slug: 'kopi-teh',
    name: 'Kopi & Teh',
    colors: ['#4e342e', '#d7a86e'],
    description: 'Single-origin coffee from Aceh to Flores and tea from the hills of West Java.',
  },
  {
    slug: 'bumbu-dapur',
    name: 'Bumbu Dapur',
    colors: ['#b23a1a', '#f4c542'],
    description: 'Spice pastes and whole spices for rendang, soto and sambal at home.',
  },
  {
    slug: 'camilan',
    name: 'Camilan',
    colors: ['#e0902f', '#fff3d6'],
    description: 'Crackers, chips and sweets for the afternoon tea.',
  },
  {
    slug: 'batik-kain',
    name: 'Batik & Kain',
    colors: ['#1f3a5f', '#e8d8b0'],
    description: 'Hand-drawn and stamped batik, songket and ikat from the islands.',
  },
  {
    slug: 'kerajinan',
    name: 'Kerajinan',
    colors: ['#5b7f3a', '#f1e3c2'],
    description: 'Rattan, wood and clay, made by hand in village workshops.',
  },
];

export const demoProducts: DemoProduct[] = [
  {
    sku: 'KOPI-GAYO-250',
    name: 'Kopi Gayo Arabika 250 g',
    category: 'kopi-teh',
    rupiah: 95_000,
    stock: 120,
    motif: 'bean',
    description: 'Wet-hulled arabica from the Gayo highlands of Aceh: full body, cedar and dark chocolate.',
    highlights: ['Single origin', 'Medium-dark roast', 'Roasted weekly'],
  },
  {
    sku: 'KOPI-TORAJA',
    name: 'Kopi Toraja Kalosi',
    category: 'kopi-teh',
    options: [{ name: 'Weight', values: ['250 g', '500 g', '1 kg'] }],
    // The kilo bag is sold out: the shop shows it, disabled.
    variants: [
      { sku: 'KOPI-TORAJA-250G', values: { Weight: '250 g' }, rupiah: 110_000, stock: 80, picture: true },
      { sku: 'KOPI-TORAJA-500G', values: { Weight: '500 g' }, rupiah: 205_000, stock: 35, picture: true },
      { sku: 'KOPI-TORAJA-1KG', values: { Weight: '1 kg' }, rupiah: 390_000, stock: 0, picture: true },
    ],
    replaces: ['KOPI-TORAJA-250'],
    motif: 'bean',
    description: 'Grown at 1,600 m in South Sulawesi; bright acidity with notes of spice and ripe fruit.',
    highlights: ['High altitude', 'Medium roast'],
  },
  {
    sku: 'KOPI-FLORES',
    name: 'Kopi Flores Bajawa',
    category: 'kopi-teh',
    options: [
      { name: 'Weight', values: ['250 g', '500 g', '1 kg'] },
      { name: 'Grind', values: ['Whole bean', 'Ground'] },
    ],
    // Ground coffee comes in 250 g bags only.
    variants: [
      {
        sku: 'KOPI-FLORES-250G-WB',
        values: { Weight: '250 g', Grind: 'Whole bean' },
        rupiah: 105_000,
        stock: 40,
      },
      {
        sku: 'KOPI-FLORES-250G-GR',
        values: { Weight: '250 g', Grind: 'Ground' },
        rupiah: 105_000,
        stock: 25,
      },
      {
        sku: 'KOPI-FLORES-500G-WB',
        values: { Weight: '500 g', Grind: 'Whole bean' },
        rupiah: 195_000,
        stock: 15,
      },
      {
        sku: 'KOPI-FLORES-1KG-WB',
        values: { Weight: '1 kg', Grind: 'Whole bean' },
        rupiah: 370_000,
        stock: 6,
      },
    ],
    replaces: ['KOPI-FLORES-250'],
    motif: 'bean',
    description: 'Volcanic soil and slow drying give a sweet cup with cocoa and a hint of tobacco.',
    highlights: ['Natural process', 'Smallholder farms'],
  },
  {
    sku: 'TEH-MELATI-100',
    name: 'Teh Melati 100 g',
    category: 'kopi-teh',
    rupiah: 32_000,
    stock: 200,
    motif: 'leaf',
    description: 'Green tea scented with fresh jasmine flowers, as served in every Javanese warung.',
    highlights: ['Loose leaf', 'Jasmine scented'],
  },
  {
    sku: 'BUMBU-RENDANG-200',
    name: 'Bumbu Rendang Padang 200 g',
    category: 'bumbu-dapur',
    rupiah: 45_000,
    stock: 150,
    motif: 'chili',
    description: 'Slow-cooked paste of chili, galangal, lemongrass and toasted coconut for one kilo of beef.',
    highlights: ['No preservatives', 'Serves 6'],
  },
  {
    sku: 'SAMBAL-MATAH-150',
    name: 'Sambal Matah Bali 150 g',
    category: 'bumbu-dapur',
    rupiah: 38_000,
    stock: 90,
    motif: 'chili',
    description: 'Raw shallot and chili relish with lime leaf and coconut oil, the Balinese way.',
    highlights: ['Very hot', 'Keep chilled'],
  },
  {
    sku: 'REMPAH-SOTO-100',
    name: 'Rempah Soto Ayam 100 g',
    category: 'bumbu-dapur',
    rupiah: 28_000,
    stock: 110,
    motif: 'bowl',
    description: 'Turmeric, candlenut and coriander blend for a golden chicken soup.',
    highlights: ['Mild', 'Makes 8 bowls'],
  },
  {
    sku: 'KERUPUK-UDANG-250',
    name: 'Kerupuk Udang Sidoarjo 250 g',
    category: 'camilan',
    rupiah: 35_000,
    stock: 300,
    motif: 'wave',
    description: 'Prawn crackers from Sidoarjo, ready to fry: they puff up to four times their size.',
    highlights: ['Real prawn', 'Fry at home'],
  },
  {
    sku: 'KERIPIK-TEMPE-200',
    name: 'Keripik Tempe Malang 200 g',
    category: 'camilan',
    rupiah: 25_000,
    stock: 250,
    motif: 'leaf',
    description: 'Paper-thin tempeh chips with garlic and coriander, crisp and savoury.',
    highlights: ['Vegan', 'Crunchy'],
  },
  {
    sku: 'DODOL-GARUT-300',
    name: 'Dodol Garut 300 g',
    category: 'camilan',
    rupiah: 30_000,
    stock: 5,
    motif: 'bowl',
    description: 'Chewy palm-sugar and coconut-milk sweets from Garut, each wrapped by hand.',
    highlights: ['Almost sold out'],
  },
  {
    sku: 'BATIK-PARANG-2M',
    name: 'Kain Batik Tulis Parang 2 m',
    category: 'batik-kain',
    rupiah: 450_000,
    stock: 12,
    motif: 'batik',
    description: 'Hand-drawn parang pattern from Yogyakarta in natural soga browns, on fine cotton.',
    highlights: ['Hand-drawn (tulis)', 'Natural dyes'],
  },
  {
    sku: 'BATIK-MEGA',
    name: 'Kain Batik Megamendung',
    category: 'batik-kain',
    options: [{ name: 'Length', values: ['2 m', '2.5 m'] }],
    variants: [
      { sku: 'BATIK-MEGA-200', values: { Length: '2 m' }, rupiah: 275_000, stock: 20 },
      { sku: 'BATIK-MEGA-250', values: { Length: '2.5 m' }, rupiah: 340_000, stock: 6 },
    ],
    replaces: ['BATIK-MEGA-2M'],
    motif: 'wave',
    description: 'The cloud pattern of Cirebon in seven shades of blue, stamped and finished by hand.',
    highlights: ['Cap and tulis', 'Cotton primissima'],
  },
  {
    sku: 'SONGKET-PALEMBANG',
    name: 'Songket Palembang',
    category: 'batik-kain',
    rupiah: 950_000,
    stock: 3,
    motif: 'batik',
    description: 'Silk woven with gold thread on a traditional loom; three weeks of work for one piece.',
    highlights: ['Gold thread', 'Limited'],
  },
  {
    sku: 'TAS-ROTAN-BULAT',
    name: 'Tas Rotan Bulat Bali',
    category: 'kerajinan',
    rupiah: 185_000,
    stock: 25,
    motif: 'wave',
    description: 'Round rattan bag woven in Tenganan, lined with batik and closed with a wooden toggle.',
    highlights: ['Handwoven', 'Batik lining'],
  },
  {
    sku: 'COBEK-BATU',
    name: 'Cobek Batu Merapi',
    category: 'kerajinan',
    rupiah: 120_000,
    stock: 18,
    motif: 'bowl',
    description: 'Mortar and pestle carved from Merapi volcanic stone, for the best sambal you ever made.',
    highlights: ['Volcanic stone', '20 cm'],
  },
  {
    sku: 'WAYANG-KULIT-ARJUNA',
    name: 'Wayang Kulit Arjuna',
    category: 'kerajinan',
    rupiah: 650_000,
    stock: 4,
    status: 'draft',
    motif: 'leaf',
    description: 'Buffalo-hide shadow puppet, chiselled and painted in Wonogiri. Coming soon.',
    highlights: ['Collector piece'],
  },
];

/** The demo logins (local defaults; they are printed at start). */
export const demoUsers = {
  admin: { email: 'admin@lapak.example.com', password: 'lapak-admin-password', name: 'Admin Lapak' },
  shopper: { email: 'siti@lapak.example.com', password: 'belanja-sekarang', name: 'Siti Rahayu' },
  editor: { email: 'editor@lapak.example.com', password: 'lapak-editor-password', name: 'Budi Santoso' },
};
