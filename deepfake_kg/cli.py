"""The `deepfake-kg` command line: one sub-command per module in `deepfake_kg.commands`."""

from __future__ import annotations

import importlib
import pkgutil

import typer

from deepfake_kg import commands

app = typer.Typer(
    name="deepfake-kg",
    help="Knowledge graph of deepfake abuse and the criminal law that does or does not reach it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
    module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
    if hasattr(module, "register"):
        module.register(app)


def main() -> None:
    app()
