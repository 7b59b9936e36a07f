"""`deepfake-kg serve` start-up errors: one sentence on stderr, exit code 2, no traceback, nothing served."""

from deepfake_kg.cli import app
from test_api_support import free_port


def test_unreachable_remote_store(runner):
    result = runner.invoke(app, ["serve", "--port", str(free_port()), "--store", f"http://127.0.0.1:{free_port()}/sparql"])
    assert result.exit_code == 2 and "cannot reach the SPARQL store" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unreadable_token_file(runner, tmp_path):
    result = runner.invoke(app, ["serve", "--data-dir", str(tmp_path / "store"), "--token-file", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "token file" in result.stderr and "Traceback" not in result.stderr
