"""`deepfake-kg serve`: the HTTP API (SPARQL endpoint, cases, ontology terms) over the store."""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import Annotated

import typer

from deepfake_kg.commands.common import DataDirOption, StoreOption, fail, store_or_fail

SHUTDOWN_GRACE = 3.0  # seconds the requests in flight get after SIGTERM or Ctrl-C before they are cancelled
EXIT_WAIT = 5.0  # then seconds their threads get to reach a checkpoint before the process exits regardless


def exit_without_waiting_long() -> None:
    """Give work still running on threads EXIT_WAIT seconds, then leave: every write is one transaction, so
    cutting a thread off loses nothing stored."""
    deadline = time.monotonic() + EXIT_WAIT
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
    if any(thread.is_alive() and not thread.daemon for thread in threading.enumerate()
           if thread is not threading.current_thread()):
        logging.getLogger("deepfake_kg.api").warning("exiting with work still running on threads")
        logging.shutdown()
        os._exit(0)


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
        data_dir: DataDirOption = None,
        store: StoreOption = None,
        token_file: Annotated[Path | None, typer.Option(
            "--token-file", help="File holding the bearer token for writes (default: $DEEPFAKE_KG_TOKEN; none = writes refused).")] = None,
        query_timeout: Annotated[float, typer.Option("--query-timeout", min=0.1, help="Seconds a SPARQL query may run.")] = 10.0,
        max_result_bytes: Annotated[int, typer.Option("--max-result-bytes", min=1, help="Largest SPARQL result sent.")] = 50_000_000,
        max_body_bytes: Annotated[int, typer.Option("--max-body-bytes", min=1, help="Largest request body accepted.")] = 5_000_000,
        query_workers: Annotated[int, typer.Option("--query-workers", min=1, help="Query worker processes.")] = 2,
        query_memory_mb: Annotated[int, typer.Option(
            "--query-memory-mb", min=0, help="Address space (MB) a query worker may use; 0 = no limit.")] = 2048,
        as_of_timeout: Annotated[float, typer.Option(
            "--as-of-timeout", min=0, help="Seconds an uncached dated gap report (/gaps?as_of=) may take.")] = 30.0,
    ) -> None:
        """Serve the HTTP API: SPARQL endpoint, case records and dereferenceable ontology terms."""
        import uvicorn

        from deepfake_kg.api.app import create_app
        from deepfake_kg.api.settings import Settings, token_from

        try:
            token = token_from(token_file)
        except (OSError, UnicodeDecodeError) as error:
            fail(f"cannot read the token file {token_file}: {error}")
        settings = Settings(data_dir=data_dir, store_url=store, token=token, query_timeout=query_timeout,
                            max_result_bytes=max_result_bytes, max_body_bytes=max_body_bytes, query_workers=query_workers,
                            query_memory_mb=query_memory_mb or None, as_of_timeout=as_of_timeout)
        opened = store_or_fail(data_dir, store)
        config = uvicorn.Config(create_app(settings, opened), host=host, port=port, log_level="info",
                                timeout_graceful_shutdown=SHUTDOWN_GRACE)
        uvicorn.Server(config).run()
        exit_without_waiting_long()
