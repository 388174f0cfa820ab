"""Publishers read against the GB/T 2260 divisions (ingest.divisions).

Every expected code, unit and level below was written by hand from the published GB/T 2260
codes (the seed was consulted only to catch typos), never produced by running the matcher.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.divisions import load_divisions, read_publisher

# (printed publisher, expected division code, expected unit, expected level)
PUBLISHERS: list[tuple[str, str, str, str]] = [
    # 宁夏: the county of the samples and its departments (the old regex misread these)
    ("平罗县人力资源和社会保障局", "640221", "人力资源和社会保障局", "county"),
    ("平罗县城市管理综合执法局", "640221", "城市管理综合执法局", "county"),
    ("平罗县市场监督管理局", "640221", "市场监督管理局", "county"),
    ("平罗县住房和城乡建设局", "640221", "住房和城乡建设局", "county"),
    ("平罗县自然资源局", "640221", "自然资源局", "county"),
    ("平罗县卫生健康局", "640221", "卫生健康局", "county"),
    ("平罗县应急管理局", "640221", "应急管理局", "county"),
    ("平罗县城关镇人民政府", "640221", "城关镇人民政府", "county"),
    ("平罗县黄渠桥镇人民政府", "640221", "黄渠桥镇人民政府", "county"),
    ("宁夏回族自治区石嘴山市平罗县市场监督管理局", "640221", "市场监督管理局", "county"),
    ("宁夏回族自治区应急管理厅", "640000", "应急管理厅", "province"),
    ("宁夏回族自治区人力资源和社会保障厅", "640000", "人力资源和社会保障厅", "province"),
    ("宁夏回族自治区卫生健康委员会", "640000", "卫生健康委员会", "province"),
    ("宁夏回族自治区市场监督管理厅", "640000", "市场监督管理厅", "province"),
    ("宁夏回族自治区住房和城乡建设厅", "640000", "住房和城乡建设厅", "province"),
    ("宁夏回族自治区自然资源厅", "640000", "自然资源厅", "province"),
    ("石嘴山市市场监督管理局", "640200", "市场监督管理局", "city"),
    ("石嘴山市城市管理局", "640200", "城市管理局", "city"),
    ("石嘴山市大武口区人力资源和社会保障局", "640202", "人力资源和社会保障局", "county"),
    ("石嘴山市惠农区自然资源局", "640205", "自然资源局", "county"),
    ("石嘴山经济技术开发区管理委员会", "640200", "经济技术开发区管理委员会", "city"),
    ("银川市住房和城乡建设局", "640100", "住房和城乡建设局", "city"),
    ("银川市兴庆区卫生健康局", "640104", "卫生健康局", "county"),
    ("银川市金凤区市场监督管理局", "640106", "市场监督管理局", "county"),
    ("银川市西夏区城市管理局", "640105", "城市管理局", "county"),
    ("宁夏银川经济技术开发区管理委员会", "640100", "经济技术开发区管理委员会", "city"),
    ("永宁县城市管理综合执法局", "640121", "城市管理综合执法局", "county"),
    ("贺兰县人力资源和社会保障局", "640122", "人力资源和社会保障局", "county"),
    ("贺兰县富兴街街道办事处", "640122", "富兴街街道办事处", "county"),
    ("灵武市自然资源局", "640181", "自然资源局", "county"),
    ("吴忠市利通区住房和城乡建设局", "640302", "住房和城乡建设局", "county"),
    ("盐池县卫生健康局", "640323", "卫生健康局", "county"),
    ("同心县市场监督管理局", "640324", "市场监督管理局", "county"),
    ("青铜峡市人力资源和社会保障局", "640381", "人力资源和社会保障局", "county"),
    ("固原市原州区应急管理局", "640402", "应急管理局", "county"),
    ("西吉县自然资源局", "640422", "自然资源局", "county"),
    ("隆德县城市管理综合执法局", "640423", "城市管理综合执法局", "county"),
    ("泾源县卫生健康局", "640424", "卫生健康局", "county"),
    ("彭阳县住房和城乡建设局", "640425", "住房和城乡建设局", "county"),
    ("中卫市沙坡头区市场监督管理局", "640502", "市场监督管理局", "county"),
    ("中宁县人力资源和社会保障局", "640521", "人力资源和社会保障局", "county"),
    ("海原县自然资源局", "640522", "自然资源局", "county"),
    # the four municipalities and their districts
    ("北京市人力资源和社会保障局", "110000", "人力资源和社会保障局", "province"),
    ("北京市朝阳区教育委员会", "110105", "教育委员会", "county"),
    ("北京市海淀区卫生健康委员会", "110108", "卫生健康委员会", "county"),
    ("北京市东城区市场监督管理局", "110101", "市场监督管理局", "county"),
    ("北京市西城区城市管理委员会", "110102", "城市管理委员会", "county"),
    ("北京市丰台区住房和城乡建设委员会", "110106", "住房和城乡建设委员会", "county"),
    ("北京市通州区人力资源和社会保障局", "110112", "人力资源和社会保障局", "county"),
    ("北京市大兴区城市管理委员会", "110115", "城市管理委员会", "county"),
    ("北京市朝阳区三里屯街道办事处", "110105", "三里屯街道办事处", "county"),
    ("天津市规划和自然资源局", "120000", "规划和自然资源局", "province"),
    ("天津市滨海新区卫生健康委员会", "120116", "卫生健康委员会", "county"),
    ("天津市和平区市场监督管理局", "120101", "市场监督管理局", "county"),
    ("天津市河西区住房和城乡建设委员会", "120103", "住房和城乡建设委员会", "county"),
    ("天津市南开区城市管理委员会", "120104", "城市管理委员会", "county"),
    ("天津市武清区人力资源和社会保障局", "120114", "人力资源和社会保障局", "county"),
    ("上海市浦东新区卫生健康委员会", "310115", "卫生健康委员会", "county"),
    ("上海市黄浦区市场监督管理局", "310101", "市场监督管理局", "county"),
    ("上海市徐汇区城市管理行政执法局", "310104", "城市管理行政执法局", "county"),
    ("上海市闵行区住房保障和房屋管理局", "310112", "住房保障和房屋管理局", "county"),
    ("上海市崇明区人力资源和社会保障局", "310151", "人力资源和社会保障局", "county"),
    ("上海市宝山区规划和自然资源局", "310113", "规划和自然资源局", "county"),
    ("重庆市渝中区卫生健康委员会", "500103", "卫生健康委员会", "county"),
    ("重庆市万州区住房和城乡建设委员会", "500101", "住房和城乡建设委员会", "county"),
    ("重庆市江北区市场监督管理局", "500105", "市场监督管理局", "county"),
    ("重庆市渝北区城市管理局", "500112", "城市管理局", "county"),
    ("重庆市城口县人力资源和社会保障局", "500229", "人力资源和社会保障局", "county"),
    ("重庆市石柱土家族自治县自然资源局", "500240", "自然资源局", "county"),
    ("重庆市酉阳土家族苗族自治县卫生健康委员会", "500242", "卫生健康委员会", "county"),
    # 自治州 and 盟, autonomous regions
    ("延边朝鲜族自治州卫生健康委员会", "222400", "卫生健康委员会", "city"),
    ("延边朝鲜族自治州延吉市市场监督管理局", "222401", "市场监督管理局", "county"),
    ("恩施土家族苗族自治州住房和城乡建设局", "422800", "住房和城乡建设局", "city"),
    ("恩施土家族苗族自治州利川市自然资源和规划局", "422802", "自然资源和规划局", "county"),
    ("凉山彝族自治州西昌市人力资源和社会保障局", "513401", "人力资源和社会保障局", "county"),
    ("凉山彝族自治州城市管理综合执法局", "513400", "城市管理综合执法局", "city"),
    ("阿坝藏族羌族自治州卫生健康委员会", "513200", "卫生健康委员会", "city"),
    ("甘孜藏族自治州康定市应急管理局", "513301", "应急管理局", "county"),
    ("临夏回族自治州市场监督管理局", "622900", "市场监督管理局", "city"),
    ("黔东南苗族侗族自治州凯里市住房和城乡建设局", "522601", "住房和城乡建设局", "county"),
    ("贵州省黔南布依族苗族自治州都匀市自然资源局", "522701", "自然资源局", "county"),
    ("西双版纳傣族自治州景洪市自然资源局", "532801", "自然资源局", "county"),
    ("大理白族自治州大理市卫生健康局", "532901", "卫生健康局", "county"),
    ("伊犁哈萨克自治州人力资源和社会保障局", "654000", "人力资源和社会保障局", "city"),
    ("湘西土家族苗族自治州吉首市城市管理局", "433101", "城市管理局", "county"),
    ("长阳土家族自治县住房和城乡建设局", "420528", "住房和城乡建设局", "county"),
    ("阿拉善盟财政局", "152900", "财政局", "city"),
    ("阿拉善盟阿拉善左旗市场监督管理局", "152921", "市场监督管理局", "county"),
    ("锡林郭勒盟卫生健康委员会", "152500", "卫生健康委员会", "city"),
    ("锡林郭勒盟锡林浩特市自然资源局", "152502", "自然资源局", "county"),
    ("兴安盟乌兰浩特市人力资源和社会保障局", "152201", "人力资源和社会保障局", "county"),
    ("鄂尔多斯市鄂托克前旗住房和城乡建设局", "150623", "住房和城乡建设局", "county"),
    ("呼伦贝尔市鄂伦春自治旗应急管理局", "150723", "应急管理局", "county"),
    ("内蒙古自治区自然资源厅", "150000", "自然资源厅", "province"),
    ("广西壮族自治区卫生健康委员会", "450000", "卫生健康委员会", "province"),
    ("新疆维吾尔自治区人力资源和社会保障厅", "650000", "人力资源和社会保障厅", "province"),
    ("西藏自治区住房和城乡建设厅", "540000", "住房和城乡建设厅", "province"),
    # provinces, prefecture-level cities, districts and counties elsewhere
    ("河北省市场监督管理局", "130000", "市场监督管理局", "province"),
    ("河北雄安新区管理委员会", "130000", "雄安新区管理委员会", "province"),
    ("湖北省人力资源和社会保障厅", "420000", "人力资源和社会保障厅", "province"),
    ("石家庄市新华区人力资源和社会保障局", "130105", "人力资源和社会保障局", "county"),
    ("唐山市路南区城市管理综合行政执法局", "130202", "城市管理综合行政执法局", "county"),
    ("太原市小店区住房和城乡建设局", "140105", "住房和城乡建设局", "county"),
    ("祁县自然资源局", "140727", "自然资源局", "county"),
    ("沈阳市和平区市场监督管理局", "210102", "市场监督管理局", "county"),
    ("大连市金州区自然资源局", "210213", "自然资源局", "county"),
    ("长春市朝阳区人力资源和社会保障局", "220104", "人力资源和社会保障局", "county"),
    ("吉林市自然资源局", "220200", "自然资源局", "city"),
    ("哈尔滨市南岗区城市管理局", "230103", "城市管理局", "county"),
    ("大兴安岭地区行政公署", "232700", "行政公署", "city"),
    ("南京市鼓楼区卫生健康委员会", "320106", "卫生健康委员会", "county"),
    ("苏州工业园区管理委员会", "320500", "工业园区管理委员会", "city"),
    ("杭州市西湖区市场监督管理局", "330106", "市场监督管理局", "county"),
    ("合肥市蜀山区住房和城乡建设局", "340104", "住房和城乡建设局", "county"),
    ("福州市鼓楼区人力资源和社会保障局", "350102", "人力资源和社会保障局", "county"),
    ("厦门市思明区鹭江街道办事处", "350203", "鹭江街道办事处", "county"),
    ("南昌市东湖区城市管理和综合执法局", "360102", "城市管理和综合执法局", "county"),
    ("济南市莱芜区自然资源局", "370116", "自然资源局", "county"),
    ("山东省济南市历下区卫生健康委员会", "370102", "卫生健康委员会", "county"),
    ("郑州市金水区卫生健康委员会", "410105", "卫生健康委员会", "county"),
    ("济源市人力资源和社会保障局", "419001", "人力资源和社会保障局", "county"),
    ("武汉市江汉区市场监督管理局", "420103", "市场监督管理局", "county"),
    ("仙桃市市场监督管理局", "429004", "市场监督管理局", "county"),
    ("神农架林区自然资源局", "429021", "自然资源局", "county"),
    ("长沙市岳麓区住房和城乡建设局", "430104", "住房和城乡建设局", "county"),
    ("湖南省安化县人力资源和社会保障局", "430923", "人力资源和社会保障局", "county"),
    ("广州市天河区人力资源和社会保障局", "440106", "人力资源和社会保障局", "county"),
    ("深圳市南山区城市管理和综合执法局", "440305", "城市管理和综合执法局", "county"),
    ("东莞市自然资源局", "441900", "自然资源局", "city"),
    ("中山市卫生健康局", "442000", "卫生健康局", "city"),
    ("海口市美兰区市场监督管理局", "460108", "市场监督管理局", "county"),
    ("儋州市卫生健康委员会", "460400", "卫生健康委员会", "city"),
    ("成都市武侯区住房和城乡建设局", "510107", "住房和城乡建设局", "county"),
    ("成都高新技术产业开发区管理委员会", "510100", "高新技术产业开发区管理委员会", "city"),
    ("贵阳市南明区人力资源和社会保障局", "520102", "人力资源和社会保障局", "county"),
    ("昆明市五华区城市管理局", "530102", "城市管理局", "county"),
    ("拉萨市城关区自然资源局", "540102", "自然资源局", "county"),
    ("米林市应急管理局", "540481", "应急管理局", "county"),
    ("兰州市城关区卫生健康局", "620102", "卫生健康局", "county"),
    ("兰州新区管理委员会", "620100", "新区管理委员会", "city"),
    ("会宁县郭城驿镇人民政府", "620422", "郭城驿镇人民政府", "county"),
    ("定西市安定区城市管理综合执法局", "621102", "城市管理综合执法局", "county"),
    ("礼县卫生健康局", "621226", "卫生健康局", "county"),
    ("西宁市城中区市场监督管理局", "630103", "市场监督管理局", "county"),
    ("西安市雁塔区人力资源和社会保障局", "610113", "人力资源和社会保障局", "county"),
    ("乌鲁木齐市天山区住房和城乡建设局", "650102", "住房和城乡建设局", "county"),
    ("石河子市住房和城乡建设局", "659001", "住房和城乡建设局", "county"),
]


def test_the_table_is_large_and_varied():
    assert len(PUBLISHERS) >= 100
    assert {level for *_, level in PUBLISHERS} == {"province", "city", "county"}
    assert len({code for _, code, _, _ in PUBLISHERS}) >= 100


@pytest.mark.parametrize("publisher, code, unit, level", PUBLISHERS, ids=[p for p, *_ in PUBLISHERS])
def test_publisher_division_and_unit(publisher, code, unit, level):
    reading = read_publisher(publisher)
    assert reading.division is not None, reading
    assert (reading.division.code, reading.unit, reading.division.level) == (code, unit, level)
    assert reading.evidence == f"prefix:{reading.matched}"
    assert publisher.startswith(reading.matched) and publisher.endswith(unit)


# A district name several cities share: undecidable alone (the codes, written by hand)
AMBIGUOUS = [
    ("朝阳区教育委员会", "教育委员会", {"110105", "220104"}),
    ("和平区市场监督管理局", "市场监督管理局", {"120101", "210102"}),
    ("新华区卫生健康局", "卫生健康局", {"130105", "130902", "410402"}),
    ("鼓楼区财政局", "财政局", {"320106", "320302", "350102", "410204"}),
    ("城关区人力资源和社会保障局", "人力资源和社会保障局", {"540102", "620102"}),
    ("南山区城市管理和综合执法局", "城市管理和综合执法局", {"230404", "440305"}),
]


@pytest.mark.parametrize("publisher, unit, codes", AMBIGUOUS, ids=[p for p, *_ in AMBIGUOUS])
def test_a_shared_name_alone_is_flagged_not_guessed(publisher, unit, codes):
    reading = read_publisher(publisher, fiscal_year=2025)
    assert reading.division is None
    assert reading.unit == unit
    assert set(reading.candidates) == codes
    assert reading.evidence == "ambiguous:" + "|".join(sorted(codes))


def test_an_ancestor_printed_elsewhere_in_the_document_decides():
    reading = read_publisher("朝阳区教育委员会", context="北京市朝阳区2025年部门预算 项目支出绩效目标表")
    assert (reading.division.code, reading.evidence) == ("110105", "cue:北京市")
    reading = read_publisher("南山区城市管理和综合执法局", context="实施单位 深圳市南山区环境卫生管理处")
    assert (reading.division.code, reading.evidence) == ("440305", "cue:深圳市")


def test_a_department_code_that_starts_with_a_division_code_decides():
    reading = read_publisher("和平区市场监督管理局", department_code="210102001")
    assert (reading.division.code, reading.evidence) == ("210102", "department_code")
    assert read_publisher("和平区市场监督管理局", department_code="032001").division is None


def test_the_fiscal_year_decides_between_a_merged_and_a_new_division():
    # 莱芜市钢城区 (371203) became 济南市钢城区 (370117) in 2019
    assert read_publisher("钢城区人力资源和社会保障局", fiscal_year=2025).division.code == "370117"
    old = read_publisher("钢城区人力资源和社会保障局", fiscal_year=2018)
    assert (old.division.code, old.evidence) == ("371203", "valid_in:2018")


def test_a_level_cue_decides(tmp_path: Path):
    seed = tmp_path / "divisions.csv"
    seed.write_text(
        "code,name,short_name,level,parent_code,valid_from,valid_to,note\n"
        "990000,甲省,,province,,,,\n"
        "990100,乙市,,city,990000,,,\n"
        "990200,丙市,,city,990000,,,\n"
        "990201,乙市,,county,990200,,,\n",
        encoding="utf-8",
    )
    index = load_divisions(seed)
    undecided = read_publisher("乙市财政局", index=index)
    assert undecided.division is None and set(undecided.candidates) == {"990100", "990201"}
    reading = read_publisher("乙市财政局", index=index, level="county")
    assert (reading.division.code, reading.evidence) == ("990201", "cue:本级")


@pytest.mark.parametrize("publisher", ["应急管理部", "中山大学", "自治区应急管理厅", "某某县财政局"])
def test_a_publisher_naming_no_division_is_unknown(publisher):
    reading = read_publisher(publisher)
    assert (reading.division, reading.evidence, reading.unit) == (None, None, publisher)


def test_short_names_only_where_unambiguous():
    # 吉林 is 吉林省 and 吉林市; 海南 is 海南省 and 海南藏族自治州: neither short name is read
    assert read_publisher("吉林财政厅").division is None
    assert read_publisher("海南卫生健康委员会").division is None
    # a city's short name at the start only before a development-zone word
    assert read_publisher("银川大学").division is None
    assert read_publisher("宁夏应急管理厅").division.code == "640000"
    # a county's short name is never read: 大兴 here is not 大兴区 (110115)
    airport = read_publisher("北京市大兴国际机场临空经济区管理委员会")
    assert (airport.division.code, airport.unit) == ("110000", "大兴国际机场临空经济区管理委员会")


def test_no_publisher():
    assert read_publisher(None).division is None
    assert read_publisher("").evidence is None


def test_a_code_before_the_name_is_skipped_and_the_unit_kept_as_printed():
    reading = read_publisher("(433)乌海市供销合作社联合社(部门)")
    assert (reading.division.code, reading.unit) == ("150300", "供销合作社联合社(部门)")
    assert read_publisher("平罗县应急管理局（本级）").unit == "应急管理局（本级）"


def test_a_title_naming_a_project_gives_way_to_the_printed_department():
    from ingest.parse import parse_document

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "wild" / "wuhai_2021_weight_column.txt"
    doc = parse_document(fixture.read_text(encoding="utf-8"), fixture.name, "wuhai").document
    # title: 再生资源回收市场管理经费项目绩效目标表; 主管部门: (433)乌海市供销合作社联合社(部门),
    # its code (433) split off by the Inner Mongolia reader
    assert doc.publisher == "乌海市供销合作社联合社(部门)"
    assert (doc.division_code, doc.region_name, doc.admin_level) == ("150300", "乌海市", "city")
    assert doc.division_evidence == "prefix:乌海市"
