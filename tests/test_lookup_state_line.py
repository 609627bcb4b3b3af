"""A ZIP that crosses a state line, with both states loaded side by side: ask which state, never assume."""

from __future__ import annotations

from lookup import District, LookupRequest, MemoryDirectory, Status, TargetInfo, resolve

MA_SEN = District("MA", "upper", "25D10", "Bristol and Norfolk")
MA_REP = District("MA", "lower", "25006", "6th Bristol")
RI_SEN = District("RI", "upper", "44D16", "16")
RI_REP = District("RI", "lower", "44060", "60")
SENATOR = TargetInfo(1, "Sam Senn", "State Senator", None, "25D10", "+16175550101", district_chamber="upper")
REP = TargetInfo(2, "Rae Repp", "State Representative", None, "25006", "+16175550102", district_chamber="lower")

# 02861 (Pawtucket) lies mostly in Rhode Island and a little in Massachusetts; 02860 is Rhode Island's alone.
BOTH_LOADED = MemoryDirectory(
    [MA_SEN, MA_REP, RI_SEN, RI_REP],
    [
        ("02861", "25D10", 1),
        ("02861", "25006", 1),
        ("02861", "44D16", 1),
        ("02861", "44060", 1),
        ("02860", "44D16", 1),
        ("02860", "44060", 1),
    ],
    [SENATOR, REP],
)
MA_ONLY = MemoryDirectory([MA_SEN, MA_REP], [("02861", "25D10", 1), ("02861", "25006", 1)], [SENATOR, REP])


def ask(directory: MemoryDirectory, location: str, **picks: str):
    return resolve(LookupRequest("MA", location, picks=picks), directory)


def test_a_zip_in_two_loaded_states_offers_both_the_campaigns_first():
    result = ask(BOTH_LOADED, "02861")
    assert result.status is Status.ASK_STATE
    assert result.states == ("MA", "RI")
    assert result.reason is not None
    assert result.reason.text == "ZIP 02861 covers parts of Massachusetts and Rhode Island. Which state do you live in?"
    assert result.targets == ()


def test_choosing_the_campaigns_state_goes_on_to_its_legislators_without_assuming_anything():
    result = ask(BOTH_LOADED, "02861", state="MA")
    assert result.status is Status.DONE
    assert [t.target.name for t in result.targets] == ["Sam Senn", "Rae Repp"]
    assert "zip_crosses_state_line" not in result.note_codes


def test_choosing_the_other_state_says_the_campaign_is_not_theirs():
    result = ask(BOTH_LOADED, "02861", state="ri")
    assert result.status is Status.OUT_OF_STATE
    assert result.reason is not None
    assert result.reason.text == "02861 is in Rhode Island; this campaign is for Massachusetts legislators."


def test_a_state_no_zip_touches_is_not_a_way_in():
    result = ask(BOTH_LOADED, "02861", state="NH")
    assert result.status is Status.ASK_STATE


def test_a_zip_only_in_another_loaded_state_is_out_of_state():
    result = ask(BOTH_LOADED, "02860")
    assert result.status is Status.OUT_OF_STATE
    assert result.reason is not None and "Rhode Island" in result.reason.text


def test_with_only_the_campaigns_state_loaded_the_old_assumption_stands_and_is_said():
    result = ask(MA_ONLY, "02861")
    assert result.status is Status.DONE
    assert "zip_crosses_state_line" in result.note_codes
