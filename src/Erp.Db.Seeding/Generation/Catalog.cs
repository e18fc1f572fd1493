namespace Erp.Db.Seeding.Generation;

/// <summary>The fixed vocabulary of the demo data: category tree, brands, shop templates, currencies.</summary>
internal static class Catalog
{
    /// <summary>Category tree: code, name, parent code (null for a root), median price in CNY for leaves.</summary>
    public static readonly IReadOnlyList<(string Code, string Name, string? Parent, double MedianPrice)> Categories =
    [
        ("electronics", "Electronics", null, 0), ("phone_accessories", "Phone accessories", "electronics", 0),
        ("phone_cases", "Phone case", "phone_accessories", 39), ("chargers", "Charger", "phone_accessories", 89),
        ("cables", "Cable", "phone_accessories", 29), ("audio", "Audio", "electronics", 0),
        ("earbuds", "Earbuds", "audio", 199), ("speakers", "Speaker", "audio", 259),
        ("home", "Home & Living", null, 0), ("kitchen", "Kitchen", "home", 0),
        ("cookware", "Pan", "kitchen", 149), ("food_storage", "Storage box", "kitchen", 45),
        ("bedding", "Bedding", "home", 0), ("sheets", "Sheet set", "bedding", 169), ("pillows", "Pillow", "bedding", 79),
        ("beauty", "Beauty", null, 0), ("skincare", "Skincare", "beauty", 0),
        ("serums", "Serum", "skincare", 129), ("face_masks", "Face mask", "skincare", 59),
        ("makeup", "Makeup", "beauty", 0), ("lipstick", "Lipstick", "makeup", 89),
        ("fashion", "Fashion", null, 0), ("womens", "Women", "fashion", 0),
        ("dresses", "Dress", "womens", 189), ("handbags", "Handbag", "womens", 239),
        ("mens", "Men", "fashion", 0), ("tshirts", "T-shirt", "mens", 69), ("sneakers", "Sneakers", "mens", 299),
        ("sports", "Sports & Outdoors", null, 0), ("fitness", "Fitness", "sports", 0),
        ("yoga_mats", "Yoga mat", "fitness", 99), ("resistance_bands", "Resistance band", "fitness", 49),
        ("outdoor", "Outdoor", "sports", 0), ("water_bottles", "Water bottle", "outdoor", 59), ("tents", "Tent", "outdoor", 399),
        ("toys", "Toys & Baby", null, 0), ("kids_toys", "Toys", "toys", 0),
        ("building_blocks", "Building blocks", "kids_toys", 159), ("plush", "Plush toy", "kids_toys", 69),
    ];

    public static readonly IReadOnlyList<string> Brands =
    [
        "Nordvik", "Lumio", "Kaito", "Veltra", "Sunnybay", "Mokka", "Orbix", "Peakline", "Hanami", "Zestly",
        "Brava", "Cobalt & Co", "Tidewell", "Fennix", "Aurea", "Kindred", "Voltix", "Maple Lane", "Qingfeng", "Xiaomu",
    ];

    public static readonly IReadOnlyList<string> Adjectives =
    [
        "Classic", "Ultra", "Compact", "Premium", "Everyday", "Soft", "Smart", "Eco", "Travel", "Deluxe", "Essential", "Pro",
    ];

    public static readonly IReadOnlyList<string> Variants =
    [
        "Black", "White", "Grey", "Blue", "Pink", "Green", "Mini", "Max", "Lite", "Plus", "2", "3",
    ];

    /// <summary>Shop templates, cycled: platform code, site country, currency, name, relative size.</summary>
    public static readonly IReadOnlyList<(string Platform, string Country, string Currency, string Name, double Weight)> Shops =
    [
        ("shopee", "SG", "SGD", "Shopee Singapore", 1.3), ("tiktok", "US", "USD", "TikTok Shop US", 1.0),
        ("amazon", "US", "USD", "Amazon US", 1.1), ("lazada", "MY", "MYR", "Lazada Malaysia", 0.7),
        ("shopee", "MY", "MYR", "Shopee Malaysia", 0.9), ("tiktok", "TH", "THB", "TikTok Shop Thailand", 0.6),
        ("amazon", "DE", "EUR", "Amazon Germany", 0.7), ("lazada", "PH", "PHP", "Lazada Philippines", 0.5),
        ("shopify", "US", "USD", "Shopify store", 0.4), ("own_site", "CN", "CNY", "Own web shop", 0.5),
        ("amazon", "GB", "GBP", "Amazon UK", 0.6), ("shopee", "PH", "PHP", "Shopee Philippines", 0.5),
    ];

    /// <summary>Platform commission and payment fee as shares of GMV.</summary>
    public static (double Commission, double PaymentFee) Fees(string platform) => platform switch
    {
        "shopee" => (0.06, 0.02),
        "tiktok" => (0.05, 0.02),
        "amazon" => (0.15, 0.0),
        "lazada" => (0.045, 0.02),
        "shopify" => (0.0, 0.029),
        "own_site" => (0.0, 0.006),
        _ => (0.03, 0.02),
    };

    public static string OrderPrefix(string platform) => platform switch
    {
        "shopee" => "SP",
        "tiktok" => "TT",
        "amazon" => "AZ",
        "lazada" => "LZ",
        "shopify" => "SF",
        "own_site" => "OW",
        _ => "OT",
    };

    /// <summary>CNY per unit, roughly; the daily rates wander around these.</summary>
    public static double BaseRate(string currency) => currency switch
    {
        "CNY" => 1,
        "USD" => 7.2,
        "EUR" => 7.8,
        "GBP" => 9.1,
        "JPY" => 0.048,
        "SGD" => 5.35,
        "MYR" => 1.53,
        "THB" => 0.2,
        "IDR" => 0.00046,
        "PHP" => 0.125,
        "VND" => 0.00029,
        "TWD" => 0.22,
        "BRL" => 1.3,
        "MXN" => 0.39,
        _ => 0,
    };

    /// <summary>Hour-of-day weights of orders (local time), peaking in the evening.</summary>
    public static readonly IReadOnlyList<double> HourWeights =
    [
        0.6, 0.3, 0.2, 0.15, 0.15, 0.2, 0.4, 0.7, 1.0, 1.2, 1.4, 1.5,
        1.6, 1.4, 1.3, 1.3, 1.3, 1.3, 1.4, 1.7, 2.1, 2.3, 1.9, 1.2,
    ];
}
