"""Who a notice reaches, as a table: programme place, roles named, cities named."""

from __future__ import annotations

import pytest

from xiandao.notifications.audience import Reach, notice_reaches, places_up

PROVINCE, HEFEI, WUHU, HIGH_TECH_COUNTY, OTHER_PROVINCE = 1, 2, 3, 4, 9
PARENTS = {HEFEI: PROVINCE, WUHU: PROVINCE, HIGH_TECH_COUNTY: HEFEI}


def reach(role: str, *starts: int) -> Reach:
    return Reach(role, places_up(starts, PARENTS))


def test_places_go_up_to_the_province():
    assert places_up([HIGH_TECH_COUNTY], PARENTS) == {HIGH_TECH_COUNTY, HEFEI, PROVINCE}
    assert places_up([], PARENTS) == frozenset()


ADMIN = reach("programme_admin", PROVINCE)
HEFEI_OFFICER = reach("city_officer", HEFEI)
COUNTY_OPERATOR = reach("zone_operator", HIGH_TECH_COUNTY)
EXPERT = reach("expert", PROVINCE)
FOREIGN = reach("city_officer", OTHER_PROVINCE)


@pytest.mark.parametrize(
    ("roles", "cities", "who", "reached"),
    [
        ((), (), HEFEI_OFFICER, True),  # all users
        ((), (), EXPERT, True),
        ((), (), FOREIGN, False),  # another province's user is not the programme's
        (("expert",), (), EXPERT, True),
        (("expert",), (), HEFEI_OFFICER, False),
        ((), (HEFEI,), HEFEI_OFFICER, True),
        ((), (HEFEI,), COUNTY_OPERATOR, True),  # a county inside Hefei is in Hefei
        ((), (WUHU,), COUNTY_OPERATOR, False),
        ((), (HEFEI,), EXPERT, False),  # a province-wide role is not a city's user
        (("city_officer",), (HEFEI,), HEFEI_OFFICER, True),
        (("zone_operator",), (HEFEI,), HEFEI_OFFICER, False),  # both must match
    ],
)
def test_notice_reaches(roles, cities, who, reached):
    assert (
        notice_reaches(programme_jurisdiction_id=PROVINCE, roles=roles, city_ids=cities, reaches=[who])
        is reached
    )


def test_one_matching_role_is_enough():
    assert notice_reaches(
        programme_jurisdiction_id=PROVINCE, roles=("expert",), city_ids=(), reaches=[HEFEI_OFFICER, EXPERT]
    )
    # …but the role and the city must match on the same assignment.
    assert not notice_reaches(
        programme_jurisdiction_id=PROVINCE,
        roles=("expert",),
        city_ids=(HEFEI,),
        reaches=[HEFEI_OFFICER, EXPERT],
    )


def test_the_audience_rule_imports_no_django():
    import subprocess
    import sys

    code = (
        "import sys, xiandao.notifications.audience; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
