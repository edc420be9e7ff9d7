"""Structure: titles, ledes, headings, lists and tables, with exact spans and sections."""

from __future__ import annotations

from corpus_tools.annotators.boilerplate import is_page_furniture
from corpus_tools.normalise import normalise
from corpus_tools.structure import find_title, parse_blocks


def _kinds(text: str, **kwargs: str) -> list[tuple[str, str]]:
    return [(b.block_type, b.content(text)) for b in parse_blocks(text, **kwargs)]


def test_markdown_constructs() -> None:
    text = (
        "# Drone alert\n\nVilnius asked for help on Monday.\n\n## Background\n"
        "Two drones crossed.\n- radar\n* patrols\n1. sharing\n"
        "| Aspect | Note |\n|---|:---:|\n| Radar | New |\n"
    )
    assert _kinds(text) == [
        ("title", "Drone alert"),
        ("lede", "Vilnius asked for help on Monday."),
        ("heading", "## Background"[3:]),
        ("paragraph", "Two drones crossed."),
        ("list_item", "radar"),
        ("list_item", "patrols"),
        ("list_item", "sharing"),
        ("table_row", "Aspect | Note |"),
        ("table_row", "Radar | New |"),
    ]


def test_table_rule_is_not_content_and_cells_are_exact() -> None:
    text = "| A | B |\n|---|---|\n| one | two three |"
    blocks = parse_blocks(text)
    assert [b.block_type for b in blocks] == ["table_row", "table_row"]
    assert [[text[s:e] for s, e in b.cells] for b in blocks] == [["A", "B"], ["one", "two three"]]


def test_sections_follow_headings() -> None:
    text = "Intro paragraph here.\n## Part One\nBody one.\n## Part Two\nBody two."
    blocks = parse_blocks(text)
    assert [(b.block_type, b.section) for b in blocks] == [
        ("lede", None),
        ("heading", "Part One"),
        ("paragraph", "Part One"),
        ("heading", "Part Two"),
        ("paragraph", "Part Two"),
    ]


def test_page_furniture_is_no_heading_title_or_lede() -> None:
    text = (
        "By Jane Doe\nLithuania Asks NATO for Help\nUpdated 5 March 2025, 14:02 GMT\n"
        "Lithuania asked NATO for air defence.\n## Background\nDrones crossed twice.\n"
        "Advertisement\nOfficials were alarmed."
    )
    blocks = parse_blocks(text, is_chrome=is_page_furniture)
    assert [(b.block_type, b.content(text), b.section) for b in blocks] == [
        ("paragraph", "By Jane Doe", None),
        ("title", "Lithuania Asks NATO for Help", None),
        ("paragraph", "Updated 5 March 2025, 14:02 GMT", None),
        ("lede", "Lithuania asked NATO for air defence.", None),
        ("heading", "Background", "Background"),
        ("paragraph", "Drones crossed twice.", "Background"),
        ("paragraph", "Advertisement", "Background"),  # opens no section
        ("paragraph", "Officials were alarmed.", "Background"),
    ]
    # without the rule the byline is taken for the title and the ad for a heading (the old behaviour)
    assert [b.block_type for b in parse_blocks(text)][:2] == ["title", "heading"]
    assert parse_blocks(text)[-1].section == "Advertisement"


def test_chrome_rule_leaves_long_lines_and_real_headings_alone() -> None:
    text = (
        "Drone Alert\nRead more: Lithuania asked NATO for air defence after a second drone crossed "
        "its border on Tuesday, officials said.\nConclusion\nIt ended."
    )
    blocks = parse_blocks(text, is_chrome=is_page_furniture)
    assert [b.block_type for b in blocks] == ["title", "lede", "heading", "paragraph"]


def test_bold_headings_quotes_and_italic_lines() -> None:
    text = (
        "**Lithuania asks NATO for air defence**\n*Vilnius, 5 March 2025*\n"
        'Lithuania asked NATO for help.\n**Background**\n> "We will defend every inch," he said.\n'
        "**Drones** crossed **twice**.\n**This bold line is a whole sentence.**\n**NATO** and **Russia**"
    )
    blocks = parse_blocks(text, is_chrome=is_page_furniture)
    assert [(b.block_type, b.content(text), b.section) for b in blocks] == [
        ("title", "Lithuania asks NATO for air defence", None),
        ("paragraph", "Vilnius, 5 March 2025", None),  # a dateline: page furniture, not the lede
        ("lede", "Lithuania asked NATO for help.", None),
        ("heading", "Background", "Background"),
        ("paragraph", '"We will defend every inch," he said.', "Background"),
        ("paragraph", "**Drones** crossed **twice**.", "Background"),  # emphasis inside a line stays
        ("paragraph", "This bold line is a whole sentence.", "Background"),
        ("paragraph", "**NATO** and **Russia**", "Background"),  # emphasis inside the line: kept as text
    ]
    assert blocks[0].end == len("**Lithuania asks NATO for air defence**")  # the line keeps its markers
    assert blocks[0].content_stop == blocks[0].end - 2


def test_reader_title_wins() -> None:
    text = "Some Headline Here\nBody sentence one."
    blocks = parse_blocks(text, title="Some Headline Here")
    assert blocks[0].block_type == "title"
    assert find_title(text, blocks) == "Some Headline Here"


def test_sentence_case_line_with_full_stop_is_a_paragraph() -> None:
    assert _kinds("The drones were shot down over Vilnius.\nThey came from the east.")[0][0] == "lede"


def test_seed_000_lede_before_title(seed_texts: dict[str, str]) -> None:
    text = normalise(seed_texts["000_70c5a0cbd7b10381.txt"]).text
    blocks = parse_blocks(text)
    assert blocks[0].block_type == "lede"
    assert blocks[1].block_type == "title"
    assert (
        find_title(text, blocks) == "Lithuania Calls for Enhanced NATO Air Defense Amid Rising Drone Threats"
    )
    headings = [b.content(text) for b in blocks if b.block_type == "heading"]
    assert headings == [
        "Strategic Implications of Increased Military Cooperation in the Baltic Region",
        "Recommendations for Strengthening Airspace Security Across NATO Alliances",
        "The Way Forward",
    ]
    assert sum(b.block_type == "list_item" for b in blocks) == 9
    assert (
        sum(b.block_type == "table_row" for b in blocks) == 8
    )  # 2 tables x (header + 3 rows), rules skipped
    assert all(text[b.start : b.end].strip() == text[b.start : b.end] for b in blocks)


def test_seed_001_headings(seed_texts: dict[str, str]) -> None:
    text = normalise(seed_texts["001_232eaf21b8eea81a.txt"]).text
    blocks = parse_blocks(text)
    assert blocks[0].block_type == "title"
    assert blocks[1].block_type == "lede"
    assert [b.content(text) for b in blocks if b.block_type == "heading"] == [
        "The Context of the Drone Incursions",
        "Lithuania's Formal Request to NATO",
        "NATO's Response and Potential Measures",
        "Implications for Regional Security",
        "Broader Geopolitical Ramifications",
    ]
    assert blocks[-1].block_type == "paragraph"
    assert blocks[-1].section == "Broader Geopolitical Ramifications"
