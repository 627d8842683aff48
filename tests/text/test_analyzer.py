"""The text engine: evasion-proof matching, exact evidence offsets, and the context that decides a claim."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from compliance.contract import Category, Finding, Status
from compliance.rules.loader import load_rules
from compliance.text.normalize import fold, fold_table

_RULES = load_rules()
# Rules reported as observations (lawful wording for some issuers) never give findings: their terms are left out.
_FINDING_RULES = [rule for rule in _RULES.rules if rule.report == "finding"]

# Terms of the categories whose literal vocabulary comes from the official lists (DOMAIN.md).
_LITERAL_CATEGORIES = (Category.GUARANTEE_PASS, Category.QUALIFICATION_TERM, Category.STATE_NAME)
_TERMS = sorted(
    {(rule.category.value, term) for rule in _FINDING_RULES if rule.category in _LITERAL_CATEGORIES
     for term in rule.terms}
)
_ALL_TERMS = sorted({term for rule in _FINDING_RULES for term in rule.terms})

# What advertisers put inside a phrase to slip past word filters.
SEPARATORS = [
    " ", "\u3000", "\t", "\u00a0",  # spaces, full-width space
    ",", ".", "!", "?", ";", ":", "-", "_", "*", "+", "/", "|", "~", "'", '"', "(", ")", "[", "]",  # ASCII
    "，", "。", "、", "！", "？", "；", "：", "“", "”", "‘", "’", "《", "》", "【", "】", "（", "）",  # CJK
    "「", "」", "〔", "〕", "…", "·", "～",
    "\u200b", "\u200c", "\u200d", "\ufeff",  # zero-width
    "😀", "👍", "🔥", "🈲", "❤️", "\U0001f4af",  # emoji, astral ones included
    "❤", "★", "☆", "※", "♥", "✔", "→", "◆", "■",  # symbols
    "\n", "\r\n", "\r",  # line breaks
]
_SEPARATOR_RUN = st.lists(st.sampled_from(SEPARATORS), min_size=1, max_size=4).map("".join)


def _evidence_keys(findings):
    return [(f.rule_id, f.location.start, f.location.end, f.evidence) for f in findings]


def _categories(findings):
    return {f.category.value for f in findings}


# -- property: separators inside a term do not hide it ----------------------------------------------


# One separator run per gap of the longest term.
_GAPS = max(len(term) for _, term in _TERMS) - 1


@given(
    item=st.sampled_from(_TERMS),
    runs=st.lists(st.one_of(st.just(""), _SEPARATOR_RUN), min_size=_GAPS, max_size=_GAPS),
)
@settings(max_examples=300, deadline=None)
@example(item=("guarantee_pass", "包过"), runs=["\u200b", "", "", "", "", "", ""])
@example(item=("guarantee_pass", "包过"), runs=["❤", "", "", "", "", "", ""])
@example(item=("qualification_term", "职业资格"), runs=["\n", " ", "😀", "", "", "", ""])
@example(item=("state_name", "国家"), runs=["\u3000", "", "", "", "", "", ""])
def test_separators_between_characters_still_match(checker, item, runs):
    category, term = item
    assert runs[: len(term) - 1], "every term has at least two characters"
    spread = term[0] + "".join(sep + ch for sep, ch in zip(runs, term[1:], strict=False))
    text = "报名学员" + spread + "欢迎咨询"
    found = checker.analyzer.analyze(text)
    assert category in _categories(found), (text, _evidence_keys(found))
    hit = [f for f in found if f.category.value == category]
    # The evidence is the whole spread-out phrase, separators and all.
    assert any(f.evidence == spread and f.location.start == 4 for f in hit), _evidence_keys(hit)


def test_every_literal_term_is_found_in_neutral_text(checker):
    """The baseline the separator property builds on: each bare term, in neutral text, is a finding."""
    missed = []
    for category, term in _TERMS:
        found = checker.analyzer.analyze("报名学员" + term + "欢迎咨询")
        if category not in _categories(found):
            missed.append(term)
    assert not missed


# -- property: evidence is exactly the original characters at [start, end) --------------------------

_TRADITIONAL = list("學員過證書國認會業職資頒發華們這個來與讓對應報導驗")
_CJK = list("报名学员欢迎咨询课程老师培训考试证书电工叉车我们的是了在一二三")
_ASCII = st.text(alphabet="abcxyzBAOGUObaoguoTaobao0123456789 .-%", min_size=1, max_size=6)
_PIECE = st.one_of(
    st.sampled_from(_ALL_TERMS),
    st.sampled_from(["bao过", "BAO过", "包guo", "zhiye资格", "考试未通过，全额退还培训费用", "七天拿证", "不过包退",
                     "人社部颁发", "100%通过", "中华人民共和国", "國家認可", "學員包過"]),
    st.sampled_from(SEPARATORS),
    st.sampled_from(_TRADITIONAL),
    st.sampled_from(_CJK),
    _ASCII,
    st.characters(codec="utf-8"),
)
_MIXED_TEXT = st.lists(_PIECE, max_size=40).map("".join)


def _check_evidence(text, findings):
    table = fold_table()
    for f in findings:
        start, end = f.location.start, f.location.end
        assert 0 <= start < end <= len(text)
        assert text[start:end] == f.evidence
        # The evidence starts and ends on a real character, never on a separator.
        assert table.fold_char(f.evidence[0]) and table.fold_char(f.evidence[-1])
        if not any("pinyin" in note for note in f.notes):
            assert fold(f.evidence) == f.term
        Finding.model_validate(f.model_dump())  # the analyzer builds findings without validation


@given(_MIXED_TEXT)
@settings(max_examples=200, deadline=None)
@example("學 員 包 過，證 書 國 家 認 可")
@example("😀😀包😀过😀 bao过 職業資格證")
def test_evidence_is_the_original_text_at_the_offsets(checker, text):
    _check_evidence(text, checker.analyzer.analyze(text))
    report = checker.check_text(text)
    _check_evidence(text, report.findings)
    assert report.characters == len(text)


# -- folding: traditional, full width, case, separators ---------------------------------------------


def test_offsets_across_traditional_and_separators(checker):
    text = "報名學員：包 過！歡迎咨詢"
    found = [f for f in checker.analyzer.analyze(text) if f.category is Category.GUARANTEE_PASS]
    assert len(found) == 1
    f = found[0]
    assert (f.location.start, f.location.end) == (5, 8)
    assert f.evidence == "包 過"
    assert f.term == "包过"


def test_traditional_full_width_and_case_fold_to_the_same_finding(checker):
    def keys(text):
        return {(f.rule_id, f.term) for f in checker.analyzer.analyze(text)}

    plain = keys("学员包过，证书国家认可")
    assert ("guarantee_pass.bao_guo", "包过") in plain
    assert ("impersonate_authority.state_endorsement", "国家认可") in plain
    assert keys("學員包過，證書國家認可") == plain
    assert keys("學員包 過，證書國 家認可") == plain


def test_full_width_latin_pinyin(checker):
    found = checker.analyzer.analyze("ＢＡＯ过班")
    assert [(f.rule_id, f.evidence) for f in found] == [("guarantee_pass.bao_guo", "ＢＡＯ过")]


# -- pinyin stand-ins ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [("bao过班火热报名中", "bao过"), ("BAO过班火热报名中", "BAO过"), ("Bao过班", "Bao过"), ("专业包guo辅导", "包guo"),
     ("心理咨询师zhiye资格证", "zhiye资格证")],
)
def test_pinyin_stand_ins_are_found(checker, text, evidence):
    found = checker.analyzer.analyze(text)
    hits = [f for f in found if f.evidence == evidence]
    assert hits, [(f.rule_id, f.evidence) for f in found]
    assert all("pinyin stands in for characters" in f.notes for f in hits)
    # A stand-in is weaker evidence than the characters themselves.
    rule = _RULES.by_id(hits[0].rule_id)
    assert hits[0].confidence < rule.confidence


@pytest.mark.parametrize("text", ["Taobao过年不打烊", "淘宝taobao过年", "TAOBAO过年", "baobao过来"])
def test_pinyin_inside_a_latin_word_is_not_a_stand_in(checker, text):
    assert not [f for f in checker.analyzer.analyze(text) if f.category is Category.GUARANTEE_PASS]


# -- word boundaries ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["确保过程", "面包过期", "书包过马路", "数据包过滤", "担保过的",
     "我们确保过程透明，收费公开。", "面包过期了不要吃", "小朋友背着书包过马路要注意安全。",
     "数据包过滤是防火墙的基本功能。", "他担保过的贷款都还清了"],
)
def test_terms_across_a_word_boundary_are_not_guarantees(checker, text):
    found = checker.analyzer.analyze(text)
    assert Category.GUARANTEE_PASS.value not in _categories(found), _evidence_keys(found)


@pytest.mark.parametrize("text", ["集中国内外优质师资", "完全国产化的数控设备"])
def test_state_names_across_a_word_boundary(checker, text):
    assert Category.STATE_NAME.value not in _categories(checker.analyzer.analyze(text))


@pytest.mark.parametrize("text", ["本班包过。程老师亲自授课", "本班保过！程老师亲自授课", "学员包过。期中另有辅导"])
def test_sentence_end_is_a_word_boundary(checker, text):
    assert Category.GUARANTEE_PASS.value in _categories(checker.analyzer.analyze(text))


def test_the_same_characters_as_a_word_are_found(checker):
    """Control for the traps above: the boundary check must not silence the real claim."""
    for text in ("考试包过，欢迎咨询", "本班保过", "确保通过考试"):
        assert Category.GUARANTEE_PASS.value in _categories(checker.analyzer.analyze(text)), text


# -- prohibitions, quotations and negations ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ['严禁使用"国家""包过"等字样', "严禁使用“国家”“包过”等字样", "不得宣传保过", "不得宣传“保过”",
     "证书不得使用“中华人民共和国”“中国”“中华”“国家”“全国”“职业资格”或“人员资格”等字样和国徽标志。",
     "广告中出现“包过”“保过”等字样的，依法查处"],
)
def test_terms_stated_in_a_prohibition_are_not_claims(checker, text):
    assert checker.analyzer.analyze(text) == []


def test_prohibition_reaches_only_its_own_clause(checker):
    found = checker.analyzer.analyze("不得宣传保过。本班包过，欢迎报名")
    assert [(f.evidence, f.location.start) for f in found] == [("包过", 9)]


@pytest.mark.parametrize(
    "text", ["诚信办学 拒绝虚假宣传 考试包过", "谨防假冒 本班包过", "温馨提醒：本班包过，名额有限"]
)
def test_a_slogan_before_a_claim_is_not_a_prohibition_of_it(checker, text):
    assert Category.GUARANTEE_PASS.value in _categories(checker.analyzer.analyze(text))


def test_so_called_quoted_term_is_a_mention(checker):
    assert checker.analyzer.analyze("所谓“保过”") == []


def test_negated_claim_is_not_a_claim(checker):
    assert checker.analyzer.analyze("我们不承诺包过") == []
    assert checker.analyzer.analyze("未经人社部门备案") == []


@pytest.mark.parametrize("text", ["本机构不承诺免考包过", "我们不承诺零基础包拿证"])
def test_negation_covers_terms_inside_the_negated_phrase(checker, text):
    found = checker.analyzer.analyze(text)
    assert Category.GUARANTEE_PASS.value not in _categories(found), _evidence_keys(found)


@pytest.mark.parametrize("text", ["本班学员无不一次通过", "往期考生无不顺利拿证"])
def test_double_negative_is_still_a_promise(checker, text):
    assert Category.GUARANTEE_PASS.value in _categories(checker.analyzer.analyze(text))


# -- official references --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["人社部发〔2024〕29号", "依据人社部发〔2024〕29号文件要求组织培训",
     "根据人社部发[2024]29号、人社厅发〔2023〕85号文件", "按照人力资源社会保障部发〔2024〕29号执行"],
)
def test_document_numbers_are_not_impersonation(checker, text):
    found = checker.analyzer.analyze(text)
    assert Category.IMPERSONATE_AUTHORITY.value not in _categories(found), _evidence_keys(found)


def test_issuer_part_of_a_document_number_is_exempt(checker):
    # 中国 in an issuer's name is a state-name claim; as the issuer part of a document number it is a citation.
    assert Category.STATE_NAME.value in _categories(checker.analyzer.analyze("中国技能协会颁发证书"))
    assert checker.analyzer.analyze("依据中国技能协会发〔2024〕29号文件") == []


@pytest.mark.parametrize(
    "text",
    ["《中华人民共和国广告法》", "依据《中华人民共和国广告法》第二十四条，培训广告不得承诺通过考试。",
     "对照《国家职业资格目录》核对", "按《全国职业技能培训规划》实施"],
)
def test_official_titles_are_not_state_names(checker, text):
    found = checker.analyzer.analyze(text)
    assert Category.STATE_NAME.value not in _categories(found), _evidence_keys(found)


def test_title_exemption_needs_an_official_instrument(checker):
    # A book or brand in 《》 that is not a law, regulation or standard is still a claim.
    assert Category.STATE_NAME.value in _categories(checker.analyzer.analyze("《中国技能人才》证书班"))


@pytest.mark.parametrize(
    "text", ["国家级重点技工学校", "本校是国家级重点技工学校，常年招生。", "国家级高技能人才培训基地"]
)
def test_official_designation_is_for_review_only(checker, text):
    found = checker.analyzer.analyze(text)
    assert found, "the designation is shown to a reviewer"
    assert all(f.status is Status.REVIEW for f in found), [(f.rule_id, f.status) for f in found]
    # A review finding is never graded as severely as the clear breach.
    assert all(f.severity.value != "high" for f in found)


def test_official_document_exemption(checker):
    text = "证书国家认可"
    assert checker.analyzer.analyze(text, official=False)
    assert checker.analyzer.analyze(text, official=True) == []


@pytest.mark.parametrize("text", ["报名地址：中华路88号二楼", "办理中国移动宽带送话费", "按照国家职业技能标准组织教学",
                                  "全国各地学员均可报名，线上授课"])
def test_addresses_and_unrelated_names_are_not_violations(checker, text):
    assert all(f.status is Status.REVIEW for f in checker.analyzer.analyze(text))


# -- overlapping hits ---------------------------------------------------------------------------------------


def test_a_term_inside_a_longer_term_of_its_category_is_one_finding(checker):
    found = checker.analyzer.analyze("零基础包拿证")
    assert [(f.rule_id, f.evidence) for f in found] == [("guarantee_pass.bao_guo", "零基础包拿证")]


def test_overlapping_hits_of_different_categories_are_all_kept(checker):
    found = checker.analyzer.analyze("证书国家认可")
    assert {(f.category.value, f.evidence) for f in found} == {
        ("impersonate_authority", "国家认可"),
        ("state_name", "国家"),
    }


def test_findings_are_ordered_by_position(checker):
    found = checker.analyzer.analyze("包过。七天拿证。国家认可。")
    starts = [f.location.start for f in found]
    assert starts == sorted(starts)


def test_offset_shifts_locations(checker):
    plain = checker.analyzer.analyze("学员包过")
    shifted = checker.analyzer.analyze("学员包过", offset=100)
    assert [(f.location.start, f.location.end) for f in shifted] == [
        (f.location.start + 100, f.location.end + 100) for f in plain
    ]


def test_fingerprint_is_stable_and_tied_to_the_place(checker):
    first = checker.analyzer.analyze("学员包过")[0]
    again = checker.analyzer.analyze("学员包过")[0]
    elsewhere = checker.analyzer.analyze("本班学员包过")[0]
    assert first.fingerprint == again.fingerprint
    assert first.fingerprint != elsewhere.fingerprint


def test_clause_punctuation_inside_a_phrase_lowers_confidence(checker):
    tight = checker.analyzer.analyze("学员包过")[0]
    spaced = checker.analyzer.analyze("学员包 过")[0]
    broken = checker.analyzer.analyze("学员包，过")[0]
    assert tight.confidence == spaced.confidence
    assert broken.confidence < tight.confidence
    assert "spans punctuation" in broken.notes


def test_no_terms_no_findings(checker):
    assert checker.analyzer.analyze("") == []
    assert checker.analyzer.analyze("本课程循序渐进，注重实操。") == []


def test_state_word_beginning_an_enterprise_name_is_for_review(checker):
    # A filed state-owned employer (评价机构：中国一拖集团有限公司) is lawful; a made-up 中国…中心 issuer is not.
    soe = [f for f in checker.analyzer.analyze("评价机构：中国一拖集团有限公司") if f.category is Category.STATE_NAME]
    assert [(f.evidence, f.status) for f in soe] == [("中国", Status.REVIEW)]
    assert any("enterprise name" in n for n in soe[0].notes)
    issuer = [f for f in checker.analyzer.analyze("中国技能人才发展中心认证") if f.category is Category.STATE_NAME]
    assert [(f.evidence, f.status) for f in issuer] == [("中国", Status.VIOLATION)]
    # The name may not run across punctuation: 中国。…有限公司 is two clauses.
    split = [f for f in checker.analyzer.analyze("中华认证，某某科技有限公司") if f.category is Category.STATE_NAME]
    assert [(f.evidence, f.status) for f in split] == [("中华", Status.VIOLATION)]


def test_enterprise_name_review_is_the_same_on_the_long_text_path(checker):
    line = "评价机构：中国一拖集团有限公司。中国技能人才发展中心认证。\n"
    long_text = line * 200  # > 4000 characters: the vectorised path
    states = [(f.evidence, f.status) for f in checker.check_text(long_text).findings
              if f.category is Category.STATE_NAME]
    assert states.count(("中国", Status.REVIEW)) == 200
    assert states.count(("中国", Status.VIOLATION)) == 200


def test_a_practice_called_unlawful_in_its_sentence_is_not_claimed(checker):
    # Police and regulators name the practice to condemn it; an ad selling it does not.
    assert not checker.analyzer.analyze("警方提醒，替考、代考均属违法行为。")
    assert not checker.analyzer.analyze("代考属于违法犯罪，切勿相信。")
    sold = checker.analyzer.analyze("专业代考，不过退款。违法的事我们不做，放心。")
    assert "guarantee_pass" in _categories(sold)


def test_condemned_is_the_same_on_the_long_text_path(checker):
    text = ("警方提醒，替考、代考均属违法行为。" + "专业代考，名额有限。\n") * 150  # > 4000 characters
    found = checker.check_text(text).findings
    assert sum(f.evidence == "代考" for f in found) == 150  # the ads' 代考, not the warning's


@pytest.mark.parametrize("text", [
    "用户：能保证考过吗？客服：抱歉，这个我们不能承诺。",  # a customer's question
    "对在认定中组织替考、代考以及泄露试题的，依照有关规定严肃处理。",  # a rule with its sanction
    "警方破获一起组织考试作弊案，并安排“枪手”代考。",  # a case report
])
def test_a_sentence_that_disowns_the_claim(checker, text):
    assert not checker.analyzer.analyze(text)


def test_a_rhetorical_question_in_an_ad_is_still_a_claim(checker):
    found = checker.analyzer.analyze("想一次通过吗？来我们这里，包过！")
    assert {f.evidence for f in found} >= {"一次通过", "包过"}


def test_variant_characters_fold_to_the_standard_ones(checker):
    found = checker.analyzer.analyze("囯家认可 証書全囯通用")
    assert {f.evidence for f in found} >= {"囯家认可", "全囯通用"}


def test_disowning_is_the_same_on_the_long_text_path(checker):
    block = ("用户：能保证考过吗？客服：不能承诺。警方破获一起作弊案，并安排“枪手”代考。"
             "想一次通过吗？保证考过，代考服务。\n")
    text = block * 80  # > 4000 characters: the vectorised path
    evidence = [f.evidence for f in checker.check_text(text).findings]
    assert evidence.count("保证考过") == 80 and evidence.count("代考服务") == 80
    assert evidence.count("一次通过") == 80


def test_an_ordinal_in_a_company_name_is_not_a_claim(checker):
    assert not checker.analyzer.analyze("评价机构：郑州市第一建筑工程有限责任公司")
    assert "absolute_claim" in _categories(checker.analyzer.analyze("全市第一的培训机构"))


def test_a_reported_case_is_not_a_claim_but_a_complaint_reports_it(checker):
    text = "市民李女士反映，她在某平台报名“保过班”后两次考试均未通过，机构拒不退费。"
    assert not checker.check_text(text).findings
    assert "guarantee_pass" in _categories(checker.check_complaint(text).findings)


@pytest.mark.parametrize(("text", "rule", "evidence"), [
    ("七天拿zheng，速来", "guarantee_pass.fast_certificate", "七天拿zheng"),
    ("育婴师证 一周na证", "guarantee_pass.fast_certificate", "一周na证"),
    ("叉车证ＳＡＮ天拿证", "guarantee_pass.fast_certificate", "ＳＡＮ天拿证"),  # full-width pinyin for 三
    ("叉车证ＸＹＺ天拿证", None, None),  # letters that are no reading of a rule's character: nothing is read
    # A sentence written in pinyin, syllables apart: read as one sequence (kao bu guo → 考不过, not 考部国).
    ("合肥保过班，kao bu guo tui kuan", "guarantee_pass.refund_if_fail", "kao bu guo tui kuan"),
    ("合肥 baoguo 班", "guarantee_pass.bao_guo", "baoguo"),  # a space between the run and the characters
    ("中式烹调师证 kao bu guo quan e tui kuan，周末班开课", "guarantee_pass.refund_if_fail",
     "kao bu guo quan e tui kuan"),  # a single letter is a syllable inside a pinyin sentence
])
def test_pinyin_is_read_back_into_characters_for_the_patterns(checker, text, rule, evidence):
    found = checker.check_text(text).findings
    if rule is None:
        assert not [f for f in found if any("pinyin read" in n for n in f.notes)]
        return
    hit = [f for f in found if f.rule_id == rule]
    assert [f.evidence for f in hit] == [evidence]
    f = hit[0]
    assert text[f.location.start:f.location.end] == evidence
    assert any(n.startswith("pinyin read as characters") for n in f.notes)


def test_latin_words_are_not_read_as_pinyin(checker):
    assert not checker.check_text("在Taobao上买的书，今天到了。Python培训班周六上课。").findings
    # English whose words happen to be syllables (he, can, ban, men) reads as no claim.
    assert not checker.check_text("Study in Hefei: he can ban men from the hall, she said.").findings
    assert not checker.check_text("A级证书，V信联系").findings  # single letters beside characters stand for nothing
