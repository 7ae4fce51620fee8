"""
Build the offline vector basemap `geo/data/basemap-{low,high}.pmtiles` from Natural Earth.

Run by hand when the basemap should change; the output is data (Natural Earth is in the public
domain) and is committed, so neither the app nor its tests need this script or its inputs.

    python scripts/build_basemap_tiles.py NE_DIR

NE_DIR holds Natural Earth layers as GeoJSON, as in the public repository
`martynafford/natural-earth-geojson` (10m archives unpacked from their `.7z`):
ne_50m_land, ne_50m_lakes, ne_50m_rivers_lake_centerlines, ne_50m_geography_marine_polys,
ne_50m_populated_places, ne_50m_admin_0_boundary_lines_land, ne_110m_admin_0_countries, and
ne_10m_land, ne_10m_lakes, ne_10m_rivers_lake_centerlines, ne_10m_admin_0_boundary_lines_land.
Building needs three packages the app does not: `pip install pycountry opencc-python-reimplemented`
(and `py7zr` to unpack the archives).

Two files, because detail costs bytes: `low` is the whole world at 1:50m in tiles of zooms 0-4
(what the first view loads) with every label, `high` is 1:10m in tiles of zooms 4-7 over Europe,
the Middle East and Asia, drawn from map zoom 5 (a 256 px map tile at zoom z draws the data tile
of zoom z-1) and fetched only where the user zooms in. One layer, `basemap`, holds every
feature; `kind` says what it is (land, lake, river, border, country, sea, city), `name_en`
and `name_zh` what to write, and `minzoom` from which zoom (Natural Earth's own `min_label`
or `min_zoom`, rounded down). GDAL (bundled with pyogrio) writes the PMTiles.

Names in Chinese: cities take Natural Earth's NAME_ZH (traditional characters in this edition),
converted to mainland simplified by OpenCC (`tw2sp`) with `CITY_ZH` for the
forms it misses; countries take the ISO 3166 names in pycountry's zh_CN
catalogue, shortened where the official form is long (`COUNTRY_ZH`); seas, lakes and rivers take
`WATER_ZH`, the standard Chinese forms of the names labelled. A feature without a Chinese name is
labelled in English in both languages.
"""

from __future__ import annotations

import gettext
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely import make_valid
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "geo" / "data"
HIGH_EXTENT = box(-12, 5, 150, 72)
"""Where 1:10m detail is kept: Europe, Africa's north, the Middle East, Central and East Asia."""

COUNTRY_ZH = {
    "IR": "伊朗",
    "RU": "俄罗斯",
    "KR": "韩国",
    "KP": "朝鲜",
    "SY": "叙利亚",
    "LA": "老挝",
    "VN": "越南",
    "MD": "摩尔多瓦",
    "TZ": "坦桑尼亚",
    "BO": "玻利维亚",
    "VE": "委内瑞拉",
    "CD": "刚果（金）",
    "CG": "刚果（布）",
    "TW": "台湾",
    "MK": "北马其顿",
    "GB": "英国",
    "US": "美国",
    "TR": "土耳其",
    "CZ": "捷克",
    "BA": "波黑",
    "CF": "中非",
    "AE": "阿联酋",
    "DO": "多米尼加",
    "PS": "巴勒斯坦",
    "SZ": "斯威士兰",
    "FM": "密克罗尼西亚",
}
"""Short map forms where the ISO name is the long official one."""

WATER_ZH = {
    "ARCTIC OCEAN": "北冰洋",
    "SOUTHERN OCEAN": "南大洋",
    "NORTH ATLANTIC OCEAN": "北大西洋",
    "SOUTH ATLANTIC OCEAN": "南大西洋",
    "NORTH PACIFIC OCEAN": "北太平洋",
    "SOUTH PACIFIC OCEAN": "南太平洋",
    "INDIAN OCEAN": "印度洋",
    "Black Sea": "黑海",
    "Philippine Sea": "菲律宾海",
    "Bay of Bengal": "孟加拉湾",
    "South China Sea": "南海",
    "Sea of Japan": "日本海",
    "Mediterranean Sea": "地中海",
    "Arabian Sea": "阿拉伯海",
    "Caspian Sea": "里海",
    "Red Sea": "红海",
    "Sea of Okhotsk": "鄂霍次克海",
    "Persian Gulf": "波斯湾",
    "Gulf of Mexico": "墨西哥湾",
    "Caribbean Sea": "加勒比海",
    "Norwegian Sea": "挪威海",
    "Bay of Biscay": "比斯开湾",
    "Mozambique Channel": "莫桑比克海峡",
    "Gulf of Guinea": "几内亚湾",
    "Baltic Sea": "波罗的海",
    "Barents Sea": "巴伦支海",
    "North Sea": "北海",
    "Irish Sea": "爱尔兰海",
    "Java Sea": "爪哇海",
    "Andaman Sea": "安达曼海",
    "Yellow Sea": "黄海",
    "East China Sea": "东海",
    "Gulf of Thailand": "泰国湾",
    "Laccadive Sea": "拉克沙群岛海",
    "Kara Sea": "喀拉海",
    "Laptev Sea": "拉普捷夫海",
    "Bering Sea": "白令海",
    "Gulf of Aden": "亚丁湾",
    "Gulf of Oman": "阿曼湾",
    "Tyrrhenian Sea": "第勒尼安海",
    "White Sea": "白海",
    "English Channel": "英吉利海峡",
    "Gulf of Bothnia": "波的尼亚湾",
    "Adriatic Sea": "亚得里亚海",
    "Gulf of Finland": "芬兰湾",
    "Ionian Sea": "爱奥尼亚海",
    "Aegean Sea": "爱琴海",
    "Sea of Azov": "亚速海",
    "Sea of Marmara": "马尔马拉海",
    "Bosporus": "博斯普鲁斯海峡",
    "Strait of Hormuz": "霍尔木兹海峡",
    "Bab el Mandeb": "曼德海峡",
    "Gulf of Suez": "苏伊士湾",
    "Strait of Gibraltar": "直布罗陀海峡",
    "Korea Strait": "朝鲜海峡",
    "Taiwan Strait": "台湾海峡",
    "Strait of Malacca": "马六甲海峡",
    "Bo Hai": "渤海",
    "Luzon Strait": "吕宋海峡",
    "Celebes Sea": "苏拉威西海",
    "Sulu Sea": "苏禄海",
    "Lake Balkhash": "巴尔喀什湖",
    "Aral Sea": "咸海",
    "Lake Baikal": "贝加尔湖",
    "Lake Ladoga": "拉多加湖",
    "Lake Onega": "奥涅加湖",
    "Issyk-Kul": "伊塞克湖",
    "Lake Victoria": "维多利亚湖",
    "Lake Tanganyika": "坦噶尼喀湖",
    "Lake Malawi": "马拉维湖",
    "Lake Chad": "乍得湖",
    "Lake Van": "凡湖",
    "Lake Sevan": "塞凡湖",
    "Lake Urmia": "乌鲁米耶湖",
    "Qinghai Hu": "青海湖",
    "Volga": "伏尔加河",
    "Ural": "乌拉尔河",
    "Amu Darya": "阿姆河",
    "Syr Darya": "锡尔河",
    "Irtysh": "额尔齐斯河",
    "Ertis": "额尔齐斯河",
    "Ertix": "额尔齐斯河",
    "Ob": "鄂毕河",
    "Ili": "伊犁河",
    "Yangtze": "长江",
    "Chang Jiang": "长江",
    "Huang": "黄河",
    "Heilong Jiang": "黑龙江",
    "Amur": "黑龙江",
    "Danube": "多瑙河",
    "Donau": "多瑙河",
    "Dnipro": "第聂伯河",
    "Dnieper": "第聂伯河",
    "Don": "顿河",
    "Kura": "库拉河",
    "Indus": "印度河",
    "Ganges": "恒河",
    "Euphrates": "幼发拉底河",
    "Firat": "幼发拉底河",
    "Al Furat": "幼发拉底河",
    "Tigris": "底格里斯河",
    "Nile": "尼罗河",
    "Rhine": "莱茵河",
    "Vistula": "维斯瓦河",
    "Wisla": "维斯瓦河",
    "Oder": "奥得河",
    "Elbe": "易北河",
    "Yenisey": "叶尼塞河",
    "Lena": "勒拿河",
    "Angara": "安加拉河",
    "Mekong": "湄公河",
    "Brahmaputra": "布拉马普特拉河",
    "Shatt al Arab": "阿拉伯河",
    "Selenge (Selenga)": "色楞格河",
    "Tarim": "塔里木河",
    "Labrador Sea": "拉布拉多海",
    "Beaufort Sea": "波弗特海",
    "Gulf of Alaska": "阿拉斯加湾",
    "Coral Sea": "珊瑚海",
    "Tasman Sea": "塔斯曼海",
    "Hudson Bay": "哈德逊湾",
    "Baffin Bay": "巴芬湾",
    "Sargasso Sea": "马尾藻海",
    "Weddell Sea": "威德尔海",
    "Ross Sea": "罗斯海",
    "Banda Sea": "班达海",
    "Arafura Sea": "阿拉弗拉海",
    "Timor Sea": "帝汶海",
    "Chukchi Sea": "楚科奇海",
    "Greenland Sea": "格陵兰海",
    "Scotia Sea": "斯科舍海",
    "Davis Strait": "戴维斯海峡",
    "Drake Passage": "德雷克海峡",
    "Great Australian Bight": "大澳大利亚湾",
    "Gulf of Carpentaria": "卡奔塔利亚湾",
    "Golfo de California": "加利福尼亚湾",
    "Hudson Strait": "哈德逊海峡",
    "Gulf of St. Lawrence": "圣劳伦斯湾",
    "Bismarck Sea": "俾斯麦海",
    "Solomon Sea": "所罗门海",
    "Gulf of Tonkin": "北部湾",
    "Molucca Sea": "马鲁古海",
    "Amundsen Sea": "阿蒙森海",
    "Bellingshausen Sea": "别林斯高晋海",
    "Bahía de Campeche": "坎佩切湾",
    "Gulf of Honduras": "洪都拉斯湾",
    "James Bay": "詹姆斯湾",
    "Straits of Florida": "佛罗里达海峡",
    "Golfe du Lion": "利翁湾",
    "Lake Tana": "塔纳湖",
    "L. Albert": "艾伯特湖",
    "Lago Titicaca": "的的喀喀湖",
    "Lago de Nicaragua": "尼加拉瓜湖",
    "Vänern": "维纳恩湖",
    "Mälaren": "梅拉伦湖",
    "Lake Saimaa": "塞马湖",
    "IJsselmeer": "艾瑟尔湖",
    "Rybinsk Res.": "雷宾斯克水库",
    "Syvash": "锡瓦什湖",
    "Great Salt Lake": "大盐湖",
    "Great Bear Lake": "大熊湖",
    "Great Slave Lake": "大奴湖",
    "Lake Superior": "苏必利尔湖",
    "Lake Michigan": "密歇根湖",
    "Lake Huron": "休伦湖",
    "L. Erie": "伊利湖",
    "L. Ontario": "安大略湖",
    "Lake Winnipeg": "温尼伯湖",
    "Lake Athabasca": "阿萨巴斯卡湖",
    "Lake Eyre North": "北艾尔湖",
}
"""Chinese names of the seas, lakes and rivers labelled (standard forms)."""

CITY_ZH = {
    "Istanbul": "伊斯坦布尔",
    "Riyadh": "利雅得",
    "Dubai": "迪拜",
    "Yerevan": "埃里温",
    "Vladivostok": "符拉迪沃斯托克",
    "Sarajevo": "萨拉热窝",
    "Luxor": "卢克索",
    "Sabha": "塞卜哈",
    "Lagos": "拉各斯",
    "Tokyo": "东京",
    "Hami": "哈密",
    "Xigaze": "日喀则",
    "Dikson": "季克森",
    "Frankfurt": "法兰克福",
    "Kuwait": "科威特城",
    "Sydney": "悉尼",
    "Alexandria": "亚历山大",
    "Kazan": "喀山",
    "Banghazi": "班加西",
    "Dublin": "都柏林",
}
"""Mainland forms where Natural Earth's (Taiwan) form differs after conversion."""

SEA_CLASSES = {"ocean", "sea", "gulf", "bay", "strait", "channel", "lagoon", "sound"}


def read(ne: Path, name: str) -> gpd.GeoDataFrame:
    frame = gpd.read_file(ne / f"{name}.json")
    return frame.set_crs(4326, allow_override=True)


def clean_name(raw: object) -> str:
    return " ".join(str(raw).split()) if isinstance(raw, str) else ""


def frame(rows: list[dict[str, object]]) -> gpd.GeoDataFrame:
    columns = ["kind", "name_en", "name_zh", "minzoom", "rank", "hi", "geometry"]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns).fillna({"hi": 0}), crs=4326)


def split(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Each shape cut in two at the edge of `HIGH_EXTENT`: from zoom 5 the map draws the part
    inside from the 1:10m file (`hi` 1 here is hidden there) and the part outside from here."""
    pieces = []
    for row in rows:
        geometry: BaseGeometry = row["geometry"]  # type: ignore[assignment]
        for hi, part in (
            (1, geometry.intersection(HIGH_EXTENT)),
            (0, geometry.difference(HIGH_EXTENT)),
        ):
            if not part.is_empty:
                pieces.append({**row, "geometry": part, "hi": hi})
    return pieces


def shapes(source: gpd.GeoDataFrame, kind: str, extent: BaseGeometry | None) -> list[dict]:
    """Unnamed geometry (land, lakes' fill, borders), clipped to `extent` if given."""
    rows = []
    for raw, rank in zip(source.geometry, source.get("scalerank", 0), strict=False):
        if raw is None or raw.is_empty:
            continue
        geometry = make_valid(raw)
        if extent is not None:
            geometry = geometry.intersection(extent)
            if geometry.is_empty:
                continue
        rows.append(
            {
                "kind": kind,
                "name_en": "",
                "name_zh": "",
                "minzoom": 0,
                "rank": int(rank or 0),
                "geometry": geometry,
            }
        )
    return rows


def biggest(geometry: BaseGeometry) -> Polygon:
    if isinstance(geometry, MultiPolygon):
        return max(geometry.geoms, key=lambda p: p.area)
    return geometry  # type: ignore[return-value]


def label_point(geometry: BaseGeometry) -> BaseGeometry:
    """Where a polygon's name goes: the pole of inaccessibility of its largest part."""
    return polylabel(make_valid(biggest(make_valid(geometry))), tolerance=0.05)


def country_labels(ne: Path) -> list[dict]:
    import pycountry

    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    rows = []
    for _, c in read(ne, "ne_110m_admin_0_countries").iterrows():
        # Natural Earth leaves France's and Norway's ISO_A2 at -99; their ADM0_A3 is ISO too
        record = pycountry.countries.get(alpha_2=c["ISO_A2"]) or pycountry.countries.get(
            alpha_3=c["ADM0_A3"]
        )
        code = record.alpha_2 if record else None
        name_zh = COUNTRY_ZH.get(code or "") or (zh.gettext(record.name) if record else "")
        if name_zh == getattr(record, "name", None):
            name_zh = ""
        rows.append(
            {
                "kind": "country",
                "name_en": c["NAME"],
                "name_zh": name_zh,
                "minzoom": int(c["MIN_LABEL"]),
                "rank": int(c["LABELRANK"]),
                "geometry": label_point(c.geometry),
            }
        )
    return rows


def water_labels(ne: Path) -> list[dict]:
    rows = []
    for _, m in read(ne, "ne_50m_geography_marine_polys").iterrows():
        name = clean_name(m["name"])
        if not name or m["featurecla"] not in SEA_CLASSES:
            continue
        rows.append(
            {
                "kind": "sea",
                "name_en": name.title() if name.isupper() else name,
                "name_zh": WATER_ZH.get(name, ""),
                "minzoom": int(m["min_label"]),
                "rank": int(m["scalerank"]),
                "geometry": label_point(m.geometry),
            }
        )
    for _, lake in read(ne, "ne_50m_lakes").iterrows():
        name = clean_name(lake["name"])
        if not name or lake["scalerank"] > 2:
            continue
        rows.append(
            {
                "kind": "lake",
                "name_en": name,
                "name_zh": WATER_ZH.get(name, ""),
                "minzoom": int(lake["min_label"]),
                "rank": int(lake["scalerank"]),
                "geometry": label_point(lake.geometry),
            }
        )
    return rows


def rivers(source: gpd.GeoDataFrame, extent: BaseGeometry | None, max_rank: int) -> list[dict]:
    rows = []
    for _, r in source.iterrows():
        if r["scalerank"] > max_rank or r["featurecla"] not in ("River", "Lake Centerline"):
            continue
        geometry = r.geometry
        if geometry is not None and extent is not None:
            geometry = geometry.intersection(extent)
        if geometry is None or geometry.is_empty:
            continue
        name = clean_name(r["name"])
        rows.append(
            {
                "kind": "river",
                "name_en": name,
                "name_zh": WATER_ZH.get(name, ""),
                "minzoom": int(r.get("min_label") or r.get("min_zoom") or 5),
                "rank": int(r["scalerank"]),
                "geometry": geometry,
            }
        )
    return rows


def cities(ne: Path) -> list[dict]:
    from opencc import OpenCC

    to_mainland = OpenCC("tw2sp")  # characters and Taiwan phrasing to mainland simplified
    rows = []
    for _, p in read(ne, "ne_50m_populated_places").iterrows():
        name_zh = CITY_ZH.get(p["NAME"]) or (
            to_mainland.convert(p["NAME_ZH"]) if isinstance(p["NAME_ZH"], str) else ""
        )
        capital = p["FEATURECLA"].startswith("Admin-0 capital")
        rows.append(
            {
                "kind": "capital" if capital else "city",
                "name_en": p["NAME"],
                "name_zh": name_zh,
                "minzoom": int(p["min_zoom"]),
                "rank": int(p["LABELRANK"]),
                "geometry": p.geometry,
            }
        )
    return rows


def write(data: gpd.GeoDataFrame, path: Path, minzoom: int, maxzoom: int) -> None:
    path.unlink(missing_ok=True)
    data.to_file(
        path,
        driver="PMTiles",
        layer="basemap",
        engine="pyogrio",
        dataset_options={
            "MINZOOM": str(minzoom),
            "MAXZOOM": str(maxzoom),
            "NAME": "basemap",
            "DESCRIPTION": "Natural Earth (public domain), trimmed",
        },
        layer_options={"MINZOOM": str(minzoom), "MAXZOOM": str(maxzoom)},
    )
    print(f"wrote {path} ({path.stat().st_size:,} bytes, {len(data):,} features)")


def main(ne: Path) -> None:
    labels = [*country_labels(ne), *water_labels(ne), *cities(ne)]
    low = frame(
        [
            *split(shapes(read(ne, "ne_50m_land"), "land", None)),
            *split(shapes(read(ne, "ne_50m_lakes"), "lake", None)),
            *split(rivers(read(ne, "ne_50m_rivers_lake_centerlines"), None, max_rank=6)),
            *split(shapes(read(ne, "ne_50m_admin_0_boundary_lines_land"), "border", None)),
            *labels,
        ]
    )
    write(low, TARGET / "basemap-low.pmtiles", 0, 4)
    high = frame(
        [
            *shapes(read(ne, "ne_10m_land"), "land", HIGH_EXTENT),
            *shapes(read(ne, "ne_10m_lakes"), "lake", HIGH_EXTENT),
            *rivers(read(ne, "ne_10m_rivers_lake_centerlines"), HIGH_EXTENT, max_rank=8),
            *shapes(read(ne, "ne_10m_admin_0_boundary_lines_land"), "border", HIGH_EXTENT),
        ]
    )
    write(high, TARGET / "basemap-high.pmtiles", 4, 7)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
