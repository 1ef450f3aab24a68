def test_organ_line_without_wenjian_above_the_title_is_the_mark():
    from editor.ingest import parse_text

    text = (
        "中共某某县某某街道工作委员会\n某某街道办事处关于2024年法治政府建设工作情况的报告\n\n"
        "县委依法治县办：\n2024年，我街道扎实推进法治政府建设。现将有关情况报告如下：\n"
        "一、2024年法治政府建设工作情况\n（一）加强组织领导。正文。\n"
    )
    report = parse_text(text)
    assert report.header.organ_mark == "中共某某县某某街道工作委员会"
    assert report.preamble.startswith("2024年")
    assert report.header.recipients == "县委依法治县办："


def test_a_dotted_date_line_is_the_date_and_the_proofreader_flags_it():
    from editor.check import ReviewSession
    from editor.ingest import parse_text

    text = (
        "某某镇人民政府关于2024年度法治政府建设情况的报告\n某某县人民政府：\n"
        "2024年，我镇扎实推进法治政府建设。现将有关情况报告如下：\n"
        "一、2024年度推进法治政府建设的主要举措和成效\n（一）加强组织领导。正文。\n"
        "特此报告。\n某某镇人民政府\n2025.3.15\n"
    )
    report = parse_text(text)
    assert report.header.signature == "某某镇人民政府"
    assert report.header.date == "2025.3.15"
    found = [f for f in ReviewSession(report).check().findings
             if f.place.field == "header.date"]
    assert [(f.rule, f.suggestion) for f in found] == [("ERR-10", "2025年3月15日")]
