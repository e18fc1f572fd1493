namespace Erp.Db.Queries.Reports;

/// <summary>The period a business report covers.</summary>
public enum ReportType
{
    /// <summary>One day.</summary>
    Daily,

    /// <summary>The ISO week (Monday to Sunday) containing the date.</summary>
    Weekly,

    /// <summary>The calendar month containing the date.</summary>
    Monthly,
}
