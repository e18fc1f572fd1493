namespace Erp.Db.Seeding;

/// <summary>What the seeder does when the warehouse already holds data.</summary>
public enum ExistingDataPolicy
{
    /// <summary>Refuse with <see cref="SeedTargetNotEmptyException"/>; nothing is written.</summary>
    Refuse,

    /// <summary>Truncate the merchant dimensions and every dw fact and config table, in the load's transaction, then load.</summary>
    Replace,
}
