"""The command line's help in the office's language (SPEC §9).

Help texts, option help and metavars are declared with `N_` (in English, at module level)
and translated here when a command is built for a run: the language is the one active then,
not the one of the moment a module happened to be imported (the tests switch it within one
process). A help text is translated paragraph by paragraph, so a command's first paragraph
is the same catalogue entry as its summary in `monitor --help`.

Typer's own words — `Usage:`, the panel titles, `[default: …]`, the `--help` option's help,
`[OPTIONS]`, and the usage errors a mistyped command gets (a missing or unknown option, a
bad value) — are English literals inside Typer; they are put in the active language here
too. A flag shows no value placeholder (Typer would print `<bool>`).
"""

from __future__ import annotations

from typing import Any

from typer import _click
from typer._click.exceptions import BadParameter, ClickException, MissingParameter, NoSuchOption
from typer.core import TyperArgument, TyperGroup

from monitor.i18n import N_, _

# Typer's words, as its English literals read (they are this catalogue's msgids).
USAGE = N_("Usage: ")
OPTIONS = N_("[OPTIONS]")
SUBCOMMAND = N_("COMMAND [ARGS]...")
HELP_OPTION = N_("Show this message and exit.")
PANEL_TITLES = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "ABORTED_TEXT": N_("Aborted."),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}

_DONE = "_monitor_localised"


class LocalisedFormatter(_click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _(USAGE) if prefix is None else prefix)


class LocalisedContext(_click.Context):
    formatter_class = LocalisedFormatter


def translated(text: str) -> str:
    """A help text in the active language, paragraph by paragraph."""
    return "\n\n".join(_(paragraph) for paragraph in text.split("\n\n"))


def localise(command: Any) -> Any:
    """Put `command`, its parameters and its sub-commands built so far in the active
    language; a command is translated once (its texts are msgids until then)."""
    if getattr(command, _DONE, False):
        return command
    setattr(command, _DONE, True)
    command.context_class = LocalisedContext
    for attribute in ("help", "short_help"):
        text = getattr(command, attribute, None)
        if text:
            setattr(command, attribute, translated(text))
    if command.options_metavar:
        command.options_metavar = _(OPTIONS)
    if isinstance(command, TyperGroup):
        command.subcommand_metavar = _(SUBCOMMAND)
        for sub in command.commands.values():
            localise(sub)
    for parameter in command.params:
        _localise_parameter(parameter)
    help_option = command.get_help_option(LocalisedContext(command))
    if help_option is not None:
        help_option.help = _(HELP_OPTION)
        help_option.metavar = ""
    return command


def _localise_parameter(parameter: Any) -> None:
    if getattr(parameter, "help", None):
        parameter.help = translated(parameter.help)
    if parameter.metavar:
        parameter.metavar = _(parameter.metavar)
        if isinstance(parameter, TyperArgument) and not parameter.type_descriptor.is_choice:
            # The placeholder says what to give; Typer would add its type (`<int>`).
            # (An instance attribute over the method: this parameter alone shows no type.)
            # Why the ignore below: per-instance override: this parameter alone shows no type
            parameter.display_type_rich = lambda ctx: None  # type: ignore[method-assign]
    elif getattr(parameter, "is_flag", False):
        parameter.metavar = ""


def speak_typer_words() -> None:
    """Typer's panel titles and notes in the active language (module constants it reads
    when it prints help or a usage error), and its usage errors' messages."""
    from typer import rich_utils

    for name, text in PANEL_TITLES.items():
        setattr(rich_utils, name, _(text))
    if not getattr(rich_utils.rich_format_error, _DONE, False):
        rich_utils.rich_format_error = _localised_errors(rich_utils.rich_format_error)


def _localised_errors(format_error: Any) -> Any:
    def format_localised(error: ClickException) -> None:
        message = usage_message(error)
        if message is not None:
            error.format_message = lambda: message  # type: ignore[method-assign]  # instance patch
        format_error(error)

    setattr(format_localised, _DONE, True)
    return format_localised


def usage_message(error: ClickException) -> str | None:
    """The message of a usage error in the active language; None: Typer's own is kept."""
    if isinstance(error, MissingParameter) and not error.message and error.param is not None:
        hint = error.param.get_error_hint()
        if error.param.param_type_name == "argument":
            return _("Missing argument {name}.").format(name=hint)
        return _("Missing option {name}.").format(name=hint)
    if isinstance(error, NoSuchOption):
        message = _("No such option: {name}").format(name=error.option_name)
        if error.possibilities:
            message += _(" (did you mean {names}?)").format(
                names=", ".join(sorted(error.possibilities)))
        return message
    if isinstance(error, BadParameter) and not isinstance(error, MissingParameter):
        given = error.param_hint or (error.param.get_error_hint() if error.param
                                     else None)
        if given is None:
            return None
        names = given if isinstance(given, str) else " / ".join(f"'{name}'" for name in given)
        return _("Invalid value for {name}: {message}").format(name=names, message=error.message)
    return None


def paragraphs(*texts: str) -> str:
    """A help text of several paragraphs (each its own catalogue entry)."""
    return "\n\n".join(texts)
