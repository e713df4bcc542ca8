"""ITU's 2023 answer (../shared/data/questionnaires/itu-2023.txt) imported field by field."""

from datetime import date

import pytest

import sdgtrack
from sdgtrack.contributions import Registry

from .conftest import shared_path

ALL = list(range(1, 18))


@pytest.fixture(scope="module")
def itu(tmp_path_factory):
    path = shared_path("questionnaires", "itu-2023.txt")
    database = sdgtrack.Database(tmp_path_factory.mktemp("itu") / "itu.duckdb")
    reg = Registry(database)
    sub = reg.parse_file(path)
    reports = reg.import_file(path)
    yield path, reg, sub, reports[0]
    database.close()


def by_name(sub, kind):
    out = {}
    for r in sub.records:
        if r.kind == kind:
            out.setdefault(r.name, []).append(r)
    return out


def test_counts_entity_year_and_the_repeat(itu):
    _, _, sub, report = itu
    assert (sub.entity, sub.entity_code, sub.year, sub.status) == (
        "International Telecommunication Union",
        "ITU",
        2023,
        "published",
    )
    assert sub.membership == "ECESA Plus Member"
    assert report.records == {
        "decision": 1,
        "event": 11,
        "resource": 5,
        "hii": 3,
        "partnership": 3,
        "recommendation": 9,
    }
    assert [(d.name, d.lines) for d in sub.duplicates] == [("WSIS Forum 2023", "339-371")]
    assert any("repeats lines 305-337 word for word: stored once" in w for w in report.warnings)
    # both WRC entries carry the same-name warning; the import report lists it once
    assert sum("share this name" in w for w in report.warnings) == 1
    assert len(report.warnings) == len(set(report.warnings))
    assert report.new == 32


def test_decision_with_its_17_resolutions(itu):
    _, _, sub, _ = itu
    (dec,) = [r for r in sub.records if r.kind == "decision"]
    assert dec.name == dec.body == "Plenipotentiary Conference 2022 (PP-22)"
    assert len(dec.topics) == 7
    assert dec.topics[0] == "Applying artificial intelligence (AI) technologies for good"
    assert dec.topics[-1] == "The Internet of Things (IoT) for smart and sustainable cities and communities"
    assert [r.number for r in dec.resolutions] == [
        "25",
        "71",
        "101",
        "102",
        "136",
        "137",
        "139",
        "140",
        "179",
        "182",
        "184",
        "198",
        "200",
        "204",
        "205",
        "214",
        "218",
    ]
    first, last = dec.resolutions[0], dec.resolutions[-1]
    assert (first.title, first.session, first.revised) == (
        "Strengthening the ITU regional presence",
        "Bucharest, 2022",
        True,
    )
    assert last.session == "Bucharest, 2022" and not last.revised  # "(BUCHAREST, 2022)": new, not revised
    assert last.title.startswith('ITU\'s role in the implementation of the "Space2030" Agenda')
    assert "held in Bucharest, Romania" in dec.description
    assert (dec.dates.start, dec.dates.end) == (date(2022, 9, 26), date(2022, 10, 14))
    assert [(p.city, p.area) for p in dec.places] == [("Bucharest", "642")]


def test_events_field_by_field(itu):
    _, _, sub, _ = itu
    ev = by_name(sub, "event")
    assert len(ev) == 10 and len(ev["World Radiocommunication Conference 2023"]) == 2
    ra, wrc = ev["World Radiocommunication Conference 2023"]
    # the first block describes the Radiocommunication Assembly: kept as written, flagged for review
    assert (ra.dates.start, ra.dates.end) == (date(2023, 11, 13), date(2023, 11, 17))
    assert ra.websites == ["https://www.itu.int/ra-23/"]
    assert any("share this name" in w for w in ra.warnings)
    assert (wrc.dates.start, wrc.dates.end) == (date(2023, 11, 20), date(2023, 12, 15))
    assert wrc.websites == ["https://www.itu.int/wrc-23/"]
    for e in (ra, wrc):
        assert [(p.city, p.area, p.iso3) for p in e.places] == [("Dubai", "784", "ARE")]
        assert (e.sdgs.goals, e.sdgs.primary, e.sdgs.all_goals) == (ALL, [9], True)

    (web,) = ev["ITU’s webinar series on Digital transformation"]
    assert (web.dates.start, web.dates.end, web.dates.open_end) == (date(2021, 1, 1), None, True)
    assert [p.mode for p in web.places] == ["virtual"] and web.sdgs.goals == ALL and web.sdgs.primary == []
    assert web.over_limit and web.word_count == 169 and web.websites == ["https://www.itu.int/cities/standards4dt/"]
    assert web.description.count("\n\n") == 3  # four paragraphs kept

    expected = {  # name start: (start, end, goals, website)
        "STI Forum Side event on Building the pathway": (date(2023, 5, 2), date(2023, 5, 2), [6, 11, 13], "ep23/"),
        "STI Forum Side event on Building back smarter": (date(2023, 5, 3), date(2023, 5, 3), [9, 11, 17], "ep24/"),
        "STI Forum Side event on Leveraging": (date(2023, 5, 4), date(2023, 5, 4), ALL, "ep25/"),
        "7th meeting of the United": (date(2023, 6, 20), date(2023, 6, 20), [11], "7th-meeting/"),
        "HLPF Forum side event": (date(2023, 7, 13), date(2023, 7, 13), [9, 11], "metaverse-cities/"),
    }
    for start, (d0, d1, goals, url) in expected.items():
        (e,) = [r for n, rs in ev.items() if n.startswith(start) for r in rs]
        assert (e.dates.start, e.dates.end, e.sdgs.goals) == (d0, d1, goals), start
        assert [p.mode for p in e.places] == ["virtual"]
        assert len(e.websites) == 1 and e.websites[0].endswith(url)
        assert not e.warnings

    (forums,) = ev["ITU Forums on metaverse"]
    assert [(s.start, s.end) for s in forums.dates.spans] == [
        (date(2023, 3, 7),) * 2,
        (date(2023, 7, 7),) * 2,
        (date(2023, 9, 13),) * 2,
    ]
    assert [(p.city, p.area) for p in forums.places] == [("Riyadh", "682"), ("Shanghai", "156"), ("Arusha", "834")]
    assert forums.sdgs.goals == [9]
    assert forums.description.count("• ") == 5

    (wsis,) = ev["WSIS Forum 2023"]
    assert [(s.start, s.end, s.label) for s in wsis.dates.spans] == [
        (date(2023, 3, 13), date(2023, 3, 17), "Hybrid Week"),
        (date(2023, 4, 1), date(2023, 4, 30), "Virtual Workshops"),
        (date(2023, 5, 1), date(2023, 5, 31), "Virtual Workshops"),
    ]
    assert [(p.city, p.area) for p in wsis.places] == [("Geneva", "756")]
    assert wsis.sdgs.goals == ALL and wsis.over_limit and wsis.word_count == 199

    (digital,) = ev["SDG Digital"]
    assert (digital.dates.start, [(p.city, p.area) for p in digital.places]) == (
        date(2023, 9, 17),
        [("New York", "840")],
    )


def test_resources(itu):
    _, _, sub, _ = itu
    res = {n: r[0] for n, r in by_name(sub, "resource").items()}
    assert list(res) == [
        "Toolkit on Digital Transformation for People-Oriented Cities and Communities",
        "United for Smart Sustainable Cities (U4SSC) Deliverables",
        "Reports on ITU’s implementation of the U4SSC KPIs",
        "ITU Contribution to the Implementation of the WSIS Outcomes: 2023",
        "SDG Digital Acceleration Agenda",
    ]
    toolkit = res["Toolkit on Digital Transformation for People-Oriented Cities and Communities"]
    assert toolkit.sdgs.goals == [2, 6, 7, 9, 11, 12, 13]
    assert toolkit.publishers[:3] == [
        "ITU",
        "United Nations Industrial Development Organization (UNIDO)",
        "International Energy Agency (IEA)",
    ]
    assert "United Nations Department of Economic and Social Affairs (UNDESA)" in toolkit.publishers
    assert len(toolkit.audience) == 6 and toolkit.languages == ["English"]
    assert toolkit.websites == ["https://toolkit-dt4c.itu.int/"]
    deliverables = res["United for Smart Sustainable Cities (U4SSC) Deliverables"]
    assert deliverables.sdgs.goals == [11] and len(deliverables.publishers) == 19
    assert res["Reports on ITU’s implementation of the U4SSC KPIs"].publishers == ["ITU", "City"]
    assert res["SDG Digital Acceleration Agenda"].sdgs.all_goals  # the field says only "All"
    assert res["SDG Digital Acceleration Agenda"].publishers == ["ITU", "UNDP", "BCG", "IDB"]
    assert all(not r.warnings for r in res.values())


def test_high_impact_initiatives(itu):
    _, _, sub, _ = itu
    hiis = [(r.initiative, r.subtitle, r.role) for r in sub.records if r.kind == "hii"]
    assert hiis == [
        ("Digital Public Infrastructure", "Scaling inclusive and open digital ecosystems for the SDGs", "co-lead"),
        ("FutureGov", "Building public sector capabilities for the future", "contributor"),
        ("Transforming Education", "Learning to build a better future for all", "supporter"),
    ]


def test_partnerships(itu):
    _, _, sub, _ = itu
    par = {n: r[0] for n, r in by_name(sub, "partnership").items()}
    u4ssc = par["United for Smart Sustainable Cities (U4SSC) Initiative"]
    assert u4ssc.partners[:3] == ["ITU", "UNECE", "UN-Habitat"] and len(u4ssc.partners) == 19
    assert u4ssc.sdgs.goals == [11] and u4ssc.beneficiaries == "Open to all interested parties"
    assert u4ssc.beneficiaries_all
    mayors = par["WSIS Forum 2023: Mayors Track"]
    assert mayors.sdgs.goals == [9, 11, 13] and mayors.partners == [
        "Geneva Cities Hub",
        "International Telecommunication Union",
    ]
    assert mayors.websites == [
        "https://www.itu.int/net4/wsis/forum/2023/Agenda/Session/400",
        "https://www.itu.int/net4/wsis/forum/2023/Agenda/Session/350",
    ]
    p2c = par["Partner2Connect Digital Coalition"]
    assert p2c.sdgs.all_goals and p2c.beneficiaries_all and p2c.description.count("\n\n") == 2


def test_recommendations(itu):
    _, _, sub, _ = itu
    recs = [r for r in sub.records if r.kind == "recommendation"]
    assert len(recs) == 9
    assert {r.group for r in recs} == {
        "WSIS recommendations to further strengthen and follow-up the implementation of the 2030 Agenda"
    }
    assert recs[0].description == "It is critical to continue prioritizing ICTs as a key enabler of development."
    assert [r.theme for r in recs] == [
        "other",
        "other",
        "interlinkages",
        "other",
        "other",
        "follow-up and review",
        "interlinkages",
        "other",
        "follow-up and review",
    ]


def test_nothing_from_the_answer_is_lost(itu):
    path, _, sub, _ = itu
    kept = "\n".join(
        [sub.preamble, sub.footer, *sub.questions.values(), *sub.notes, *(r.raw_text for r in sub.records)]
    )
    for no, line in enumerate(path.read_text("utf-8").split("\n"), 1):
        if line.strip("\u00a0 "):
            assert line.strip() in kept, f"line {no} lost: {line[:60]!r}"


def test_reimport_changes_nothing(itu):
    path, reg, _, _ = itu
    before = reg.con.execute(
        "SELECT r.id, r.data, s.updated_at FROM contribution_record r JOIN contribution_submission s "
        "ON s.id = r.submission ORDER BY r.id"
    ).fetchall()
    (again,) = reg.import_file(path)
    assert (again.new, again.updated, again.unchanged, again.removed) == (0, 0, 32, 0) and not again.changed
    after = reg.con.execute(
        "SELECT r.id, r.data, s.updated_at FROM contribution_record r JOIN contribution_submission s "
        "ON s.id = r.submission ORDER BY r.id"
    ).fetchall()
    assert before == after


def test_list_and_search(itu):
    _, reg, _, _ = itu
    assert len(reg.records(kind="event")) == 11
    assert len(reg.records(sdg=13)) == 12  # 9 all-goal records + 3 naming 13
    found = reg.records(query="metaverse cities")
    assert list(found.name.str[:30]) == ["STI Forum Side event on Levera", "HLPF Forum side event on Explo"]
    assert reg.records(query="Giga").name.tolist() == ["Transforming Education"]
    assert reg.records(entity="itu", year=2023, kind="hii").shape[0] == 3
    assert reg.records(entity="UNDP").empty


def test_coverage_of_the_itu_answer(itu):
    _, reg, _, _ = itu
    cov = reg.coverage(by="kind", sdgs="declared")
    totals = cov.totals.set_index("goal")
    assert totals.loc[11, "records"] == 18 and totals.loc[9, "records"] == 14 and totals.loc[13, "records"] == 12
    assert totals.loc[9, "primary"] == 2 and totals.loc[1, "records"] == 9  # the 9 all-goal records
    co = cov.cooccurrence
    off = co[co.goal_a < co.goal_b].sort_values("records", ascending=False).iloc[0]
    assert (off.goal_a, off.goal_b, off.records) == (9, 11, 4)
    per = cov.per_sdg.set_index(["group", "goal"])
    assert per.loc[("event", 11), "records"] == 10 and per.loc[("event", 11), "share"] == round(10 / 11, 4)
    assert cov.method["records_all_goals"] == 9 and cov.method["records_without_sdgs"] == 13
