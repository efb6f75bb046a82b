from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _security_policy_not_cached_across_tests() -> Iterator[None]:
    """A test that tightens the policy rolls its row back; its cached copy must go too."""
    from xiandao.accounts.policy import security_policy_forget

    security_policy_forget()
    yield
    security_policy_forget()
