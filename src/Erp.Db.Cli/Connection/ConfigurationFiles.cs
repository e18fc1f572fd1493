using Microsoft.Extensions.Configuration;

namespace Erp.Db.Cli.Connection;

/// <summary>
/// The settings files erpdb reads from the directory it runs in (appsettings.json, then erpdb.json, whose ErpDb section
/// configures the library). A file that is not valid JSON, or whose ErpDb section does not bind (a QueryTimeout that is no
/// time), is left out and described in <see cref="Problem"/>: every command then refuses to run with that one line, and
/// --help still answers.
/// </summary>
internal sealed class ConfigurationFiles
{
    private static readonly string[] Names = ["appsettings.json", "erpdb.json"];

    private ConfigurationFiles(string? problem, string? file) => (Problem, File) = (problem, file);

    /// <summary>What is wrong with a settings file, and what to do; null when both read well (or are absent).</summary>
    public string? Problem { get; }

    /// <summary>The file <see cref="Problem"/> is about.</summary>
    public string? File { get; }

    /// <summary>Adds the files of <paramref name="directory"/> that read and bind well to <paramref name="configuration"/>.</summary>
    public static ConfigurationFiles Add(IConfigurationBuilder configuration, string directory)
    {
        foreach (var path in Names.Select(n => Path.Combine(directory, n)))
        {
            // Tried alone first: a source that fails to load stays in the builder it was added to, and fails it again.
            var problem = Check(path);
            if (problem is not null)
            {
                return new ConfigurationFiles(problem, path);
            }
            configuration.AddJsonFile(path, optional: true);
        }
        return new ConfigurationFiles(null, null);
    }

    private static string? Check(string path)
    {
        try
        {
            new ConfigurationBuilder().AddJsonFile(path, optional: true).Build().GetSection(ErpDbOptions.SectionName).Get<ErpDbOptionsBuilder>();
            return null;
        }
        catch (InvalidDataException e)
        {
            // The innermost error says where (System.Text.Json's line and byte); the outer ones only that the file failed.
            var cause = e.GetBaseException().Message.TrimEnd('.');
            return $"The settings file {path} is not valid JSON: {cause}. Fix it, or move it away; erpdb reads its {ErpDbOptions.SectionName} section.";
        }
        catch (InvalidOperationException e)
        {
            return $"The settings file {path} has a value erpdb cannot use: {e.Message} Fix it (e.g. \"QueryTimeout\": \"00:00:30\"), or remove the setting for its default.";
        }
    }
}
