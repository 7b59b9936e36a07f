"""The HTTP API: `create_app(settings)` builds the FastAPI application over one store."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from deepfake_kg import __version__
from deepfake_kg.api import cases, errors, gaps, health, sparql, terms
from deepfake_kg.api.headers import NoSniff
from deepfake_kg.api.limits import BodyLimit
from deepfake_kg.api.ontology_docs import OntologyDocs
from deepfake_kg.api.pages import install_pages
from deepfake_kg.api.pool import QueryPool
from deepfake_kg.api.settings import Settings
from deepfake_kg.api.worker import StoreSpec
from deepfake_kg.gaps.evaluation import warm_up
from deepfake_kg.store import Store, default_data_dir, open_store


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The API over the store named by `settings`, opened (and filled on first use) at start-up unless given.

    Routers reach the store with the `get_store` dependency (or `request.app.state.store`); a router that
    writes must call `request.app.state.pool.written()` after committing, so the query workers see the write.
    """
    settings = settings or Settings()
    if settings.data_dir is None and not settings.store_url:
        settings.data_dir = default_data_dir()
    cache_dir = settings.cache_dir or settings.data_dir or default_data_dir()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = store or open_store(settings.data_dir, settings.store_url)
        app.state.ontology_docs = OntologyDocs(cache_dir / "docs")
        memory = settings.query_memory_mb * 2**20 if settings.query_memory_mb else None
        spec = StoreSpec(settings.data_dir, settings.store_url, memory)
        app.state.pool = QueryPool(spec, settings.query_workers, settings.query_timeout, settings.max_result_bytes)
        threading.Thread(target=warm_up, args=(app.state.store,), name="gaps-warm-up", daemon=True).start()
        threading.Thread(target=health.VALIDATOR.problem, args=(app.state.store,), name="validator-warm-up",
                         daemon=True).start()
        try:
            yield
        finally:
            app.state.pool.close()
            app.state.store.close()

    app = FastAPI(
        title="deepfake-kg",
        version=__version__,
        description="Knowledge graph of deepfake abuse and the criminal law that does or does not reach it: "
        "a read-only SPARQL endpoint, case records, and dereferenceable ontology terms.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    errors.install(app)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                       allow_headers=["Accept", "Content-Type"])
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(NoSniff)
    app.include_router(sparql.router)
    app.include_router(cases.router)
    app.include_router(terms.router)
    app.include_router(gaps.router)
    app.include_router(health.router)
    install_pages(app)

    return app
