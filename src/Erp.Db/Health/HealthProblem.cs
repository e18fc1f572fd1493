namespace Erp.Db.Health;

/// <summary>One thing a DBA should act on (docs/doctor.md).</summary>
/// <param name="Code">Stable code, e.g. <c>ERPDB002</c>; <see cref="HealthCodes"/> lists those found outside the database.</param>
/// <param name="Severity"><c>error</c> (wrong now) or <c>warning</c> (will go wrong, or costs readers).</param>
/// <param name="ObjectName">What it is about: a view, a partition, a script, a pg_cron job.</param>
/// <param name="Problem">What is wrong, in words.</param>
/// <param name="Fix">What to run or change.</param>
public sealed record HealthProblem(string Code, string Severity, string ObjectName, string Problem, string Fix);
