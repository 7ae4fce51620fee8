"""Origins, markets, commodities and questions: their checks, what a commodity closes, and the
border charge by direction, on the tiny catalogue with trade records added, then the real one."""

from __future__ import annotations

import pytest

from geo.catalogue import Catalogue
from geo.charges import border_charge, leg_cost_usd, leg_plan
from geo.errors import ScenarioError
from geo.i18n import translator
from geo.loader import check_catalogue_bytes
from geo.paths import Step
from geo.scenarios import apply_scenario, closure_text
from tests.conftest import TINY, line_of, run_geo, tiny_variant

SCENARIO = (
    "  - {id: ore-ban, name: Ore ban, name_zh: 禁矿, description: CC refuses ore., "
    "rationale: Fixture., close_countries: [CC], commodities: [ore]}\n"
)
TRADE = """\
places:
  - {id: a-origin, role: origin, name: A origin, name_zh: 甲产地, nodes: [a-city, a-border]}
  - {id: c-market, role: market, name: C market, name_zh: 丙市场, nodes: [c-port]}
commodities:
  - id: ore
    name: Ore
    name_zh: 矿石
    description: Bulk ore in boxes.
    restrictions:
      - legs: [ab-border]
        reason: ore may not cross at A Border
        reason_zh: 矿石不得经甲口岸过境
        sources: [src-a]
  - id: hot
    name: Hot cargo
    name_zh: 放射性货物
    description: Class 7.
    accepting_ports: [b-port]
    accepting_ports_sources: [src-b]
questions:
  - {id: a-to-c, name: A to C, name_zh: 甲到丙, origin: a-origin, market: c-market, commodity: ore}
"""


def trade_text(old: str = "", new: str = "", base: str | None = None) -> str:
    """The tiny catalogue with a commodity-limited scenario and the trade records; `old` (which
    must occur once) replaced by `new`."""
    text = (base if base is not None else TINY.read_text(encoding="utf-8")) + SCENARIO + TRADE
    if old:
        assert text.count(old) == 1, f"fixture text {old!r} must occur exactly once"
        text = text.replace(old, new)
    return text


def load(text: str) -> Catalogue:
    catalogue, problems = check_catalogue_bytes(text, name="trade.yaml")
    assert catalogue is not None, [str(p) for p in problems]
    return catalogue


@pytest.fixture(scope="module")
def trade() -> Catalogue:
    return load(trade_text())


def errors(text: str) -> list[str]:
    catalogue, problems = check_catalogue_bytes(text, name="trade.yaml")
    found = [p for p in problems if p.severity == "error"]
    assert catalogue is None and found
    return [f"{p.line}: {p.message}" for p in found]


# --- the records -------------------------------------------------------------------------------


def test_trade_records_load_and_are_found_by_id(trade: Catalogue) -> None:
    assert [p.id for p in trade.places] == ["a-origin", "c-market"]
    assert trade.place("a-origin").role == "origin" and trade.place("c-market").role == "market"
    assert trade.commodity("hot").accepting_ports == ["b-port"]
    assert trade.commodity("ore").restrictions[0].legs == ["ab-border"]
    assert trade.commodity("ore").accepting_ports is None
    assert trade.question("a-to-c").commodity == "ore"
    assert trade.scenario("ore-ban").commodities == ["ore"]
    assert trade.scenario("baseline").commodities == []


def test_a_catalogue_without_trade_records_has_none(tiny: Catalogue) -> None:
    assert (tiny.places, tiny.commodities, tiny.questions) == ([], [], [])


# (old, new, expected message fragment, fragment on the expected line)
UNKNOWN_CASES = [
    pytest.param(
        "nodes: [a-city, a-border]}",
        "nodes: [a-city, a-bordr]}",
        "'a-origin' names unknown node 'a-bordr'",
        "a-bordr",
        id="place-node",
    ),
    pytest.param(
        "      - legs: [ab-border]\n",
        "      - legs: [ab-bordr]\n",
        "'ore' names unknown leg 'ab-bordr'",
        "ab-bordr",
        id="restriction-leg",
    ),
    pytest.param(
        "      - legs: [ab-border]\n",
        "      - countries: [ZZ]\n",
        "'ore' names unknown country 'ZZ'",
        "countries: [ZZ]",
        id="restriction-country",
    ),
    pytest.param(
        "accepting_ports: [b-port]",
        "accepting_ports: [b-prt]",
        "'hot' names unknown node 'b-prt'",
        "b-prt",
        id="accepting-port",
    ),
    pytest.param(
        "close_countries: [CC], commodities: [ore]}",
        "close_countries: [CC], commodities: [gold]}",
        "'ore-ban' names unknown commodity 'gold'",
        "commodities: [gold]",
        id="scenario-commodity",
    ),
    pytest.param(
        "nodes: [c-port]}",
        "nodes: [c-port], commodities: [silver]}",
        "'c-market' names unknown commodity 'silver'",
        "silver",
        id="place-commodity",
    ),
    pytest.param(
        "market: c-market, commodity: ore}",
        "market: c-market, commodity: tin}",
        "'a-to-c' names unknown commodity 'tin'",
        "commodity: tin",
        id="question-commodity",
    ),
    pytest.param(
        "market: c-market, commodity: ore}",
        "market: c-market, commodity: ore, avoid: [QQ]}",
        "'a-to-c' names unknown country 'QQ'",
        "avoid: [QQ]",
        id="question-avoid",
    ),
    pytest.param(
        "origin: a-origin, market: c-market",
        "origin: c-market, market: c-market",
        "question 'a-to-c': 'c-market' is not an origin",
        "origin: c-market",
        id="question-origin-is-a-market",
    ),
    pytest.param(
        "origin: a-origin, market: c-market",
        "origin: a-origin, market: a-origin",
        "question 'a-to-c': 'a-origin' is not a market",
        "market: a-origin",
        id="question-market-is-an-origin",
    ),
    pytest.param(
        "origin: a-origin, market: c-market",
        "origin: nowhere, market: c-market",
        "'nowhere' is not an origin",
        "origin: nowhere",
        id="question-origin-unknown",
    ),
]


@pytest.mark.parametrize(("old", "new", "message", "locator"), UNKNOWN_CASES)
def test_every_trade_reference_is_checked_with_its_line(
    old: str, new: str, message: str, locator: str
) -> None:
    text = trade_text(old, new)
    found = errors(text)
    assert any(message in e for e in found), found
    assert any(e.startswith(f"{line_of(text, locator)}: ") and message in e for e in found), found


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param(
            "      - legs: [ab-border]\n        reason",
            "      - reason",
            "a restriction names no nodes, legs or countries",
            id="empty-restriction",
        ),
        pytest.param(
            "        sources: [src-a]\n",
            "",
            "`sources`",
            id="restriction-without-provenance",
        ),
        pytest.param(
            "    accepting_ports_sources: [src-b]\n",
            "",
            "`accepting_ports` are listed without `accepting_ports_sources`",
            id="ports-unsourced",
        ),
        pytest.param("role: origin", "role: source", "origin", id="bad-role"),
    ],
)
def test_a_malformed_trade_record_is_an_error(old: str, new: str, message: str) -> None:
    assert any(message in e for e in errors(trade_text(old, new)))


# --- what a commodity closes -------------------------------------------------------------------


def test_containers_close_nothing_a_restriction_closes_its_leg(trade: Catalogue) -> None:
    assert apply_scenario(trade).closed_legs.keys() == {"c-planned"}
    active = apply_scenario(trade, "baseline", "ore")
    assert active.commodity == "ore"
    closure = active.closure("ab-border")
    assert closure is not None
    assert (closure.kind, closure.target, closure.detail) == ("commodity", "ab-border", "ore:0")
    assert closure.reason == "not open to Ore: ore may not cross at A Border"
    assert active.closure("a-rail") is None and active.closure("bc-sea") is None


def test_accepting_ports_close_every_port_not_listed(trade: Catalogue) -> None:
    active = apply_scenario(trade, "baseline", "hot")
    closed = {leg: (c.kind, c.target, c.detail) for leg, c in active.closed_legs.items()}
    # c-port is a seaport not listed: the sea leg into it and the planned leg out of it shut;
    # b-port is listed, so the rail leg to it stays open.
    assert closed == {
        "bc-sea": ("commodity", "c-port", "hot:ports"),
        "c-planned": ("commodity", "c-port", "hot:ports"),
    }
    closure = active.closure("bc-sea")
    assert closure is not None and closure.reason == "C Port has no record of taking Hot cargo"


def test_a_port_outside_accepting_ports_only_closes_when_the_commodity_is_chosen(
    trade: Catalogue,
) -> None:
    assert apply_scenario(trade, "baseline", "ore").closure("bc-sea") is None
    assert apply_scenario(trade, "baseline", "hot").closure("bc-sea") is not None


def test_a_city_is_not_a_port_for_accepting_ports() -> None:
    text = trade_text("accepting_ports: [b-port]", "accepting_ports: [b-port, c-port]")
    active = apply_scenario(load(text), "baseline", "hot")
    assert "commodity" not in {c.kind for c in active.closed_legs.values()}


def test_a_commodity_scenario_closes_only_for_its_commodities(trade: Catalogue) -> None:
    assert apply_scenario(trade, "ore-ban").closure("bc-sea") is None
    # another cargo: the scenario's country closure does not apply, only hot's port rule
    other = apply_scenario(trade, "ore-ban", "hot").closure("bc-sea")
    assert other is not None and other.kind == "commodity"
    banned = apply_scenario(trade, "ore-ban", "ore").closure("bc-sea")
    assert banned is not None and (banned.kind, banned.target) == ("country", "CC")


def test_a_commodity_scenario_keeps_its_factors_for_every_cargo() -> None:
    scenario = (
        "  - {id: ore-ban, name: Ore ban, name_zh: 禁矿, description: CC refuses ore., "
        "rationale: Fixture., close_countries: [CC], commodities: [ore], "
        "cost_factor: {default: 2}}\n"
    )
    catalogue = load(trade_text().replace(SCENARIO, scenario))
    step = Step(catalogue.leg("a-rail"), "a-city", "a-border")
    for commodity in (None, "ore"):
        active = apply_scenario(catalogue, "ore-ban", commodity)
        assert leg_cost_usd(catalogue, step, active) == pytest.approx(2 * 111)


def test_an_unknown_commodity_is_a_scenario_error(trade: Catalogue) -> None:
    with pytest.raises(ScenarioError, match="unknown commodity 'gold'"):
        apply_scenario(trade, "baseline", "gold")


def test_commodity_closures_read_in_chinese(trade: Catalogue) -> None:
    zh = translator("zh")
    rule = apply_scenario(trade, "baseline", "ore").closure("ab-border")
    port = apply_scenario(trade, "baseline", "hot").closure("bc-sea")
    assert rule is not None and port is not None
    assert closure_text(trade, rule, t=zh, lang="zh") == "不接受矿石：矿石不得经甲口岸过境"
    assert closure_text(trade, port, t=zh, lang="zh") == "丙港没有接收放射性货物的记录"


# --- border charges ----------------------------------------------------------------------------

DIRECTED = (
    "  border_crossing_cost_usd_per_feu: {value: 50, sources: [src-b]}\n"
    "  border_charges_by_direction:\n"
    "    - {country: BB, inbound: {value: 70, sources: [src-b]}, "
    "outbound: {value: 30, sources: [src-b]}}\n"
)


@pytest.fixture(scope="module")
def directed() -> Catalogue:
    base = tiny_variant(
        "  border_crossing_cost_usd_per_feu: {value: 50, sources: [src-b]}\n", DIRECTED
    )
    return load(trade_text(base=base))


def test_border_charge_by_direction(directed: Catalogue) -> None:
    def charge(start: str, end: str) -> tuple[str, float]:
        key, figure = border_charge(directed, start, end)
        return key, figure.value

    assert charge("AA", "BB") == ("border:BB:inbound", 70)
    assert charge("BB", "CC") == ("border:BB:outbound", 30)
    assert charge("AA", "CC") == ("parameters:border", 50)
    assert charge("CC", "AA") == ("parameters:border", 50)


def test_entering_a_directed_country_wins_over_leaving_one() -> None:
    both = DIRECTED + (
        "    - {country: CC, inbound: {value: 80, sources: [src-b]}, "
        "outbound: {value: 20, sources: [src-b]}}\n"
    )
    old = "  border_crossing_cost_usd_per_feu: {value: 50, sources: [src-b]}\n"
    catalogue = load(trade_text(base=tiny_variant(old, both)))
    key, figure = border_charge(catalogue, "BB", "CC")
    assert (key, figure.value) == ("border:CC:inbound", 80)
    key, figure = border_charge(catalogue, "CC", "AA")
    assert (key, figure.value) == ("border:CC:outbound", 20)


def test_legs_pay_the_directed_charge_where_they_cross(
    directed: Catalogue, tiny: Catalogue
) -> None:
    active = apply_scenario(directed)
    into_b = Step(directed.leg("ab-border"), "a-border", "b-border")
    out_of_b = Step(directed.leg("bc-sea"), "b-port", "c-port")
    back_into_b = Step(directed.leg("bc-sea"), "c-port", "b-port")
    assert leg_cost_usd(directed, into_b, active) == pytest.approx(11 * 1.0 + 70)
    assert leg_cost_usd(directed, out_of_b, active) == pytest.approx(222 * 0.5 + 30)
    assert leg_cost_usd(directed, back_into_b, active) == pytest.approx(222 * 0.5 + 70)
    # without the directed figures, the general one
    step = Step(tiny.leg("ab-border"), "a-border", "b-border")
    assert leg_cost_usd(tiny, step, apply_scenario(tiny)) == pytest.approx(11 + 50)


def test_no_border_charge_at_a_port_that_does_not_clear_customs(tiny: Catalogue) -> None:
    text = tiny_variant(
        "name_zh: 丙港, kind: seaport", "name_zh: 丙港, clears_customs: false, kind: seaport"
    )
    hub = load(text)
    assert hub.node("c-port").clears_customs is False and tiny.node("c-port").clears_customs
    step = Step(hub.leg("bc-sea"), "b-port", "c-port")
    assert leg_plan(hub, step, None).border is None
    assert leg_cost_usd(hub, step, apply_scenario(hub)) == pytest.approx(222 * 0.5)
    # the same leg into a port that clears pays the border charge
    step = Step(tiny.leg("bc-sea"), "b-port", "c-port")
    assert leg_cost_usd(tiny, step, apply_scenario(tiny)) == pytest.approx(222 * 0.5 + 50)


def test_reverse_cost_is_used_only_travelling_to_from(tiny: Catalogue) -> None:
    text = tiny_variant(
        "distance_km: {value: 222, sources: [src-a]}",
        "distance_km: {value: 222, sources: [src-a]}, "
        "cost_usd_per_feu: {value: 300, sources: [src-a]}, "
        "reverse_cost_usd_per_feu: {value: 90, sources: [src-a]}",
    )
    catalogue = load(text)
    active = apply_scenario(catalogue)
    forward = leg_plan(catalogue, Step(catalogue.leg("bc-sea"), "b-port", "c-port"), active)
    backward = leg_plan(catalogue, Step(catalogue.leg("bc-sea"), "c-port", "b-port"), active)
    assert (forward.rate.value, forward.rate_key) == (300, "leg:bc-sea:cost")
    assert (backward.rate.value, backward.rate_key) == (90, "leg:bc-sea:reverse_cost")
    assert backward.component == "leg_fixed"
    assert leg_cost_usd(catalogue, backward.step, active) == pytest.approx(90 + 50)
    assert leg_cost_usd(catalogue, forward.step, active) == pytest.approx(300 + 50)


# --- the real catalogue ------------------------------------------------------------------------


def test_the_real_catalogue_validates() -> None:
    result = run_geo("validate", "corridors.yaml")
    assert result.returncode == 0, result.stderr
    assert "valid:" in result.stdout and "Traceback" not in result.stderr


def test_every_record_has_a_chinese_name(real: Catalogue) -> None:
    missing = [
        f"{section}:{getattr(record, 'id', '')}"
        for section in ("nodes", "corridors", "places", "commodities")
        for record in getattr(real, section)
        if not (record.name_zh or "").strip() or record.name_zh == record.name
    ]
    assert real.places and real.commodities and not missing, missing


def test_real_trade_records_hang_together(real: Catalogue) -> None:
    uranium = real.commodity("uranium")
    assert uranium.accepting_ports and uranium.restrictions
    ports = {n.id for n in real.nodes if n.kind.value in ("seaport", "ferry_terminal")}
    assert set(uranium.accepting_ports) <= ports
    for question in real.questions:
        assert real.place(question.origin).role == "origin"
        assert real.place(question.market).role == "market"
    limited = [s for s in real.scenarios if s.commodities]
    assert limited, "a scenario limited to some commodities"
    for scenario in limited:
        for commodity in scenario.commodities:
            assert real.commodity(commodity)


def test_a_commodity_scenario_on_the_real_catalogue_spares_containers(real: Catalogue) -> None:
    scenario = next(s for s in real.scenarios if s.commodities and s.close_countries)
    containers = apply_scenario(real, scenario)
    chosen = apply_scenario(real, scenario, scenario.commodities[0])
    closed_by_country = {leg for leg, c in chosen.closed_legs.items() if c.kind == "country"}
    assert closed_by_country
    assert not {leg for leg, c in containers.closed_legs.items() if c.kind == "country"}
