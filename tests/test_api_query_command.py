"""`deepfake-kg query`: honest headers for zero rows, and the same read-only refusals as the endpoint."""

from deepfake_kg.cli import app


def test_zero_rows_still_show_the_query_variables(runner, data_dir):
    result = runner.invoke(app, ["query", "--data-dir", str(data_dir), "--format", "csv",
                                 "SELECT ?case ?title WHERE { ?case <urn:x:nothing> ?title }"])
    assert result.exit_code == 0 and result.stdout.splitlines() == ["case,title"]
    table = runner.invoke(app, ["query", "--data-dir", str(data_dir),
                                "SELECT ?case ?title WHERE { ?case <urn:x:nothing> ?title }"])
    assert table.exit_code == 0 and "case" in table.stdout and "title" in table.stdout


def test_table_lists_rows(runner, data_dir):
    result = runner.invoke(app, ["query", "--data-dir", str(data_dir),
                                 "SELECT ?c WHERE { <https://w3id.org/deepfake-kg/ontology/CaseRecord> a ?c }"])
    assert result.exit_code == 0 and "owl#Class" in result.stdout


def test_updates_and_service_are_refused_with_exit_2(runner, data_dir):
    for text in ("DROP ALL", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"):
        result = runner.invoke(app, ["query", "--data-dir", str(data_dir), text])
        assert result.exit_code == 2 and "refused" in result.stderr and "Traceback" not in result.stderr
