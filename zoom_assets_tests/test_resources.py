"""ZoomResource turns its settings into a client: the plan's limits, scaled when asked."""

import pytest

from zoom_assets.resources import ZoomResource
from zoom_assets.zoom import PLANS, ZoomConfigError


def resource(**settings: object) -> ZoomResource:
    return ZoomResource(
        account_id="acct",
        client_id="client",
        client_secret="secret",
        rate_plan="business_plus",
        **settings,  # type: ignore[arg-type]
    )


def test_the_plan_limits_are_scaled_by_rate_limit_scale() -> None:
    with resource(rate_limit_scale=0.5).build_client() as client:
        limits = client._transport._limiter.limits
    assert limits == PLANS["business_plus"].scaled(0.5)
    assert (limits.heavy, limits.medium, limits.heavy_daily) == (20, 30, 30_000)


def test_without_a_scale_the_client_keeps_the_plan_limits() -> None:
    with resource().build_client() as client:
        assert client._transport._limiter.limits == PLANS["business_plus"]


@pytest.mark.parametrize("scale", [0.0, -1.0])
def test_a_scale_of_zero_or_less_is_refused(scale: float) -> None:
    with pytest.raises(ZoomConfigError, match="rate_limit_scale"):
        resource(rate_limit_scale=scale).build_client()
