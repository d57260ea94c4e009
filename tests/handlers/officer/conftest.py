from tests.line_fixtures import app, fake_line, fake_line_server, line_client, runtime, settings  # noqa: F401
