"""How long a tier or tag holds when its document does not say: the validity rules. Pure.

* 高新技术企业: three years from the certificate date (国科发火〔2016〕32号 第十四条);
* 科技型中小企业: the registration number is valid for its calendar year only (国科发政〔2017〕115号);
* 专精特新中小企业 and “小巨人”: three-year cycles from recognition (工信部企业〔2022〕63号);
* 独角兽 / 潜在独角兽 / 瞪羚 / 哪吒 / 新物种 / 未来产业新星: one edition of the list, one year;
* 上市, 头部, 生态主导型, 隐形冠军: until ended (delisting, a later list), so open.
"""

from __future__ import annotations

import datetime as dt

THREE_YEARS = frozenset({"high_tech", "specialised", "little_giant"})
ONE_EDITION = frozenset({"unicorn", "potential_unicorn", "gazelle", "nezha", "new_species", "rising_star"})
CALENDAR_YEAR = frozenset({"tech_sme"})


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def default_valid_to(tag: str, valid_from: dt.date, list_year: int | None = None) -> dt.date | None:
    """The exclusive end of a tag's validity, or None when it holds until ended."""
    if tag in THREE_YEARS:
        return add_years(valid_from, 3)
    if tag in CALENDAR_YEAR:
        return dt.date((list_year or valid_from.year) + 1, 1, 1)
    if tag in ONE_EDITION:
        return add_years(valid_from, 1)
    return None
