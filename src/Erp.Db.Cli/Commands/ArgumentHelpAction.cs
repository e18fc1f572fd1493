using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Erp.Db.Cli.Commands;

/// <summary>
/// --help as System.CommandLine writes it, after an <see cref="IArgumentHelp"/> command has described what its arguments name and
/// with the defaults of options that take a value from a list as they are typed (<see cref="ChoiceOptions.DescribeDefaults"/>).
/// The overview (<c>erpdb --help</c>, or erpdb alone) lists each command by the first line of its description, its summary; the
/// command's own --help gives all of it (definitions of its fields, rules, exit codes).
/// </summary>
internal sealed class ArgumentHelpAction(HelpAction help) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        (parseResult.CommandResult.Command as IArgumentHelp)?.DescribeFor(parseResult);
        ChoiceOptions.DescribeDefaults(parseResult.RootCommandResult.Command);
        if (parseResult.CommandResult.Command is RootCommand root)
        {
            // Help ends the run: the commands are not described again.
            foreach (var command in root.Subcommands)
            {
                command.Description = Summary(command.Description);
            }
        }
        return help.Invoke(parseResult);
    }

    /// <summary>The first line of a command's description.</summary>
    private static string? Summary(string? description) => description?.Split('\n', 2)[0];
}
