"""`deepfake-kg reason`: OWL 2 DL consistency and unsatisfiable classes of the ontology (HermiT)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deepfake_kg.commands.common import EXIT_INVALID, EXIT_OK, DataDirOption, StoreOption, fail, store_or_fail
from deepfake_kg.export import What, export_graph
from deepfake_kg.paths import ontology_files
from deepfake_kg.namespaces import DFK
from deepfake_kg.ontology_check import check_ontology
from deepfake_kg.reasoning import ReasonerError, ReasonerResult, read_files, reason, term_counts
from deepfake_kg.store import StoreError


def chosen_modules(names: list[str]) -> list[Path]:
    """The shipped ontology modules named (by file stem), or all of them."""
    modules = {path.stem: path for path in ontology_files()}
    unknown = [name for name in names if name not in modules]
    if unknown:
        fail(f"no ontology module named {', '.join(unknown)}; the modules are {', '.join(sorted(modules))}")
    return [modules[name] for name in names] if names else list(modules.values())


def print_result(result: ReasonerResult) -> None:
    if result.ignored_datatypes:
        typer.echo("note: HermiT ignores datatypes outside the OWL 2 datatype map: " + ", ".join(result.ignored_datatypes))
    if not result.consistent:
        typer.echo("result: inconsistent (no model exists; classification is impossible)")
    else:
        typer.echo("result: consistent")
        typer.echo(f"unsatisfiable classes: {len(result.unsatisfiable) or 'none'}")
        for iri in result.unsatisfiable:
            typer.echo(f"  {iri}")
    typer.echo(f"reasoner time: {result.seconds:.2f} s")


def print_shape_problems(graph) -> bool:
    """Print every shape result; True when there is no violation (warnings do not fail)."""
    problems = check_ontology(graph)
    failed = sum(not problem.warning for problem in problems)
    typer.echo(f"shapes: {failed} violations, {len(problems) - failed} warnings")
    for problem in problems:
        typer.echo(f"  {problem}")
    return failed == 0


def register(app: typer.Typer) -> None:
    @app.command(name="reason")
    def reason_command(
        files: Annotated[list[Path] | None, typer.Argument(help="Extra Turtle files to reason over together with the ontology.")] = None,
        module: Annotated[list[str] | None, typer.Option("--module", "-m", help="Only this ontology module (file stem, e.g. law); repeatable. Default: every module in ontology/, alignments included.")] = None,
        with_kb: Annotated[bool, typer.Option("--with-kb", help="Also reason over the knowledge-base graph in the store.")] = False,
        with_cases: Annotated[bool, typer.Option("--with-cases", help="Also reason over the contributed case graphs in the store.")] = False,
        shapes: Annotated[bool, typer.Option("--shapes", help="Also check the ontology against shapes/ontology.ttl (labels, definitions, declarations, domains, codes).")] = False,
        data_dir: DataDirOption = None,
        store: StoreOption = None,
    ) -> None:
        """Check that the ontology is consistent in OWL 2 DL and has no unsatisfiable class (HermiT)."""
        modules = chosen_modules(module or [])
        try:
            graph = read_files([*modules, *(files or [])])
        except ReasonerError as error:
            fail(str(error))
        selections = [what for what, wanted in ((What.kb, with_kb), (What.cases, with_cases)) if wanted]
        if selections:
            target = store_or_fail(data_dir, store)
            try:
                for what in selections:
                    graph += export_graph(target, what)
            except StoreError as error:
                fail(f"the graphs could not be read from the store: {error}")
            finally:
                target.close()
        typer.echo("reasoner: HermiT (OWL 2 DL) through owlready2")
        typer.echo(f"modules: {', '.join(path.stem for path in modules)}"
                   + "".join(f" + {path}" for path in files or [])
                   + "".join(f" + store {what.value}" for what in selections))
        try:
            result = reason(graph)
        except ReasonerError as error:
            fail(str(error))
        typer.echo(f"triples: {result.triples}")
        typer.echo("dfk: terms: " + ", ".join(f"{n} {kind}" for kind, n in term_counts(graph, str(DFK)).items()))
        print_result(result)
        conforms = not shapes or print_shape_problems(graph)
        raise typer.Exit(EXIT_OK if result.ok and conforms else EXIT_INVALID)
