"""``{vercel-lab-cli}``: the command-line reference, rendered from ``cli.build_parser()``.

Nothing about the options is typed by hand, so the page cannot drift from the parser. Each command
becomes a section (usage, description, one entry per argument with an anchor such as
``#invoke-entrypoint``); help strings are expanded the way ``--help`` expands them.
"""

from __future__ import annotations

import argparse
import inspect
import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


def _subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    """(name, one-line help, parser) for each subcommand, in declaration order."""
    found = []
    for action in parser._actions:  # argparse exposes no public iterator over its actions
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            found += [(name, helps.get(name, ""), sub) for name, sub in action.choices.items()]
    return found


def _invocation(action: argparse.Action) -> str:
    """How the argument is written: ``-X METHOD, --request METHOD`` or ``PROJECT``."""
    if not action.option_strings:
        return str(action.metavar or action.dest)
    if action.nargs == 0:
        return ", ".join(action.option_strings)
    metavar = action.metavar or action.dest.upper()
    return ", ".join(f"{option} {metavar}" for option in action.option_strings)


# An option as the text names it: --run, -X, --env-file. Sphinx's smartquotes turns "--" in
# plain text into an en dash ("\u2013run"), which breaks when copied into a shell; inside a
# literal node it stays as typed (and renders as code, as an option should).
_OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def _paragraph(text: str) -> nodes.paragraph:
    """``text`` as a paragraph whose option names are literals, so they copy as typed."""
    paragraph = nodes.paragraph()
    for index, part in enumerate(_OPTION.split(text)):
        if index % 2:
            paragraph += nodes.literal(text=part)
        elif part:
            paragraph += nodes.Text(part)
    return paragraph


def _help(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    # The formatter's own expansion, so "%(default)s" and friends read exactly as in --help.
    text = parser._get_formatter()._expand_help(action) if action.help else ""
    if isinstance(action, argparse._AppendAction):
        text += " Repeatable."
    if not action.option_strings and action.nargs == "?":
        text += " Optional."
    return text.strip()


def _anchor(command: str, action: argparse.Action) -> str:
    name = max(action.option_strings, key=len) if action.option_strings else action.dest
    return nodes.make_id(f"{command}-{name.lstrip('-')}")


def _arguments(command: str, parser: argparse.ArgumentParser) -> nodes.definition_list:
    items = nodes.definition_list()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
            continue
        term = nodes.term("", "", nodes.literal(text=_invocation(action)))
        item = nodes.definition_list_item("", term, ids=[_anchor(command, action)])
        item += nodes.definition("", _paragraph(_help(parser, action)))
        items += item
    return items


def _section(
    ident: str, title: str, parser: argparse.ArgumentParser, command: str
) -> nodes.section:
    section = nodes.section(ids=[ident])
    section += nodes.title(text=title)
    if parser.description:
        section += _paragraph(parser.description)
    usage = parser.format_usage().strip()
    section += nodes.literal_block(usage, usage, language="text")
    section += _arguments(command, parser)
    return section


class CliReference(SphinxDirective):
    """Render every command of the ``vercel-lab`` parser (no arguments, no content)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from vercel_lab.cli import main as cli

        # Rebuild this page whenever the parser's module changes.
        self.env.note_dependency(inspect.getfile(cli))
        parser = cli.build_parser()
        result: list[nodes.Node] = [_section("cli-global", parser.prog, parser, "global")]
        for name, summary, sub in _subcommands(parser):
            section = _section(f"cli-{name}", f"{parser.prog} {name}", sub, name)
            if summary and not sub.description:
                section.insert(1, _paragraph(summary))
            result.append(section)
        return result


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("vercel-lab-cli", CliReference)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
