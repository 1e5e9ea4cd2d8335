from tests.fakes.llm_fixtures import llm_server  # noqa: F401
