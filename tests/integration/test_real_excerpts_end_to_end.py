"""The real excerpts, as published, through a real `jixiao refresh`: the ones a reader understands
reach the marts with their family and money in yuan, every other is held back with its reason.

The documents are the published parts of `tests/fixtures/wild/real/` (the text after each note
block), written as the files a user would bring; expected values are the golden ones of
`tests/golden/test_golden_real_excerpts.py`, typed by reading the excerpts.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.golden.test_golden_real_excerpts import HELD_BACK, REAL, published
from tests.integration.refresh_support import Site

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("real"))
    site.docs.mkdir()
    for path in sorted(REAL.glob("*.txt")):
        (site.docs / path.name).write_text(published(path.name), encoding="utf-8")
    return site.refresh(), site


def test_the_readable_excerpts_publish_and_the_rest_are_held_back_with_their_reasons(refreshed):
    proc, site = refreshed
    assert proc.returncode == 5, proc.stdout + proc.stderr  # published, some documents held back
    held = dict(
        site.query("select source_file, reason_code from ops.run_documents where status = 'quarantined'")
    )
    assert held == HELD_BACK
    families = site.query("select source_file, template_family from marts.dim_document order by 1")
    assert families == [
        ("dongguan_guangdong_2019_city_pifu_side_by_side.txt", "side_by_side"),
        ("jingyan_sichuan_2023_town.txt", "sichuan_flat"),
        ("qingjian_shaanxi_2021_county_fupin.txt", "rural"),
        ("xiangtan_hunan_2023_city.txt", "hunan"),
        ("xiuning_anhui_2023_county_transfer_selfeval.txt", "self_evaluation"),
        ("yueyangxian_hunan_2022_county_xiangcun.txt", "rural"),
    ]


def test_money_in_yuan_and_targets_reach_the_marts(refreshed):
    _, site = refreshed
    money = dict(
        site.query(
            "select d.source_file, sum(f.annual_total_yuan) from marts.fct_project_funding f "
            "join marts.dim_project p using (project_id) join marts.dim_document d on p.document_id = d.document_id "
            "group by 1",
        )
    )
    assert money == {
        "xiangtan_hunan_2023_city.txt": Decimal("2500000.00"),  # 250万
        "dongguan_guangdong_2019_city_pifu_side_by_side.txt": Decimal("9190000.00"),  # 919.00 (万元)
        "jingyan_sichuan_2023_town.txt": Decimal("3969840.00"),  # 3,309,840.00 + 660,000.00 元
        "qingjian_shaanxi_2021_county_fupin.txt": None,  # 500, no unit printed anywhere: not guessed
        "yueyangxian_hunan_2022_county_xiangcun.txt": None,  # 854万(…) prose: kept, not a number
    }
    targets = dict(
        site.query(
            "select d.source_file, count(*) from marts.fct_indicator_target t "
            "join marts.dim_document d using (document_id) group by 1",
        )
    )
    assert targets == {
        "xiangtan_hunan_2023_city.txt": 7,
        "dongguan_guangdong_2019_city_pifu_side_by_side.txt": 10,  # 5 rows, mid-term and annual
        "jingyan_sichuan_2023_town.txt": 13,
        "qingjian_shaanxi_2021_county_fupin.txt": 5,
        "yueyangxian_hunan_2022_county_xiangcun.txt": 12,
    }
    evaluated = site.query(
        "select indicator_name, target_text, actual_text from marts.fct_indicator_self_evaluation "
        "order by source_line limit 1",
    )
    assert evaluated == [("布展面积", "300㎡", "0")]
