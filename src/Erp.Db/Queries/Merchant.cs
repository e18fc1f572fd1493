namespace Erp.Db.Queries;

/// <summary>A merchant the caller may see.</summary>
/// <param name="MerchantId">Its id, the value queries take.</param>
/// <param name="Code">Its short code.</param>
/// <param name="Name">Its name.</param>
public sealed record Merchant(long MerchantId, string Code, string Name);
