"""Context added from the session-3 blind batches: lists, quizzes, FAQ questions, warnings and forbidden sales."""

from __future__ import annotations

import pytest

from compliance import Checker
from compliance.contract import Origin


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


def _cats(findings) -> set[str]:
    return {f.category.value for f in findings}


@pytest.mark.parametrize(("text", "absent"), [
    ("今天聊聊怎么辨别假证书：第一，看编号是不是22位；第二，上网查。", "absolute_claim"),  # a list, not a rank
    ("选择我们的理由\n第一、师资强\n第二、价格低", "absolute_claim"),
    ("合规课件：以下说法哪些违规？A.「国家级金牌讲师授课」 B.「学员就业率100%」。", "absolute_claim"),  # a quiz
    ("问：「国家职业资格证书」和「职业技能等级证书」有啥区别？", "qualification_term"),  # an FAQ question
    ("电商平台类目规则：证书代办、代考类商品禁止发布。", "guarantee_pass"),  # a forbidden sale
    ("记者调查 ▪ 学员交钱后却屡考不过 ▪ 退费遭拒", "guarantee_pass"),  # a promise reported as broken
    ("花4800元买的“国家高级心理咨询师”证书，上网却查不到。市民王女士向记者反映，机构已失联。", "state_name"),
    ("我想明确说：没有任何正规机构能保证通过。", "guarantee_pass"),  # a long negation right before the hit
    ("宁波一培训机构因发布“唯一指定考点”广告被罚5万元", "impersonate_authority"),  # a sanctioned ad, quoted
    # Chat and live-stream turns: a warning against whoever makes the claim, a commenter's question, a claim called
    # a lie, a fraud's pretext, a question whether it can be believed, an FAQ's 问： after a heading.
    ("我们不包过也不保过，谁跟你说包过的你就要小心了。", "guarantee_pass"),
    ("统一回复：谁私聊说能包过、代考，截图发群里。", "guarantee_pass"),
    ("评论区：\n@阿豪在东莞：主播你们包过吗\n@作者回复：不包", "guarantee_pass"),
    ("不包，说包过的都是骗人的，我们只教技术", "guarantee_pass"),
    ("一名男子以帮人代考叉车证为由骗取多名工友钱财，已被警方刑事拘留。", "guarantee_pass"),
    ("有网友问“有机构说交两千块保过，可信吗？”", "guarantee_pass"),
    ("泉州市人社局职业技能培训直播答疑（文字整理）：问：有机构说交钱可以不用考试直接拿证，能信吗？答：不能。",
     "guarantee_pass"),
    ("老师很实在，他们也不说什么保证就业，但是会推单。", "misleading_claim"),
    ("一名听众询问网上宣传的“三天拿证”是否可信，工作人员表示不可信。", "guarantee_pass"),
    ("温馨提示：本机构不代办任何证件，不组织代考。", "guarantee_pass"),
])
def test_stated_reported_or_listed_is_not_claimed(checker: Checker, text: str, absent: str) -> None:
    found = checker.analyzer.analyze(text)
    assert absent not in _cats(found), [(f.rule_id, f.evidence) for f in found]
    # The batch path (all candidates at once, taken by long texts) agrees.
    batch = checker.analyzer._batch.scan(text, official=None, page=None, origin=Origin.TEXT, offset=0, keep=None,
                                         limit=None)
    assert absent not in _cats(batch.findings)


@pytest.mark.parametrize(("text", "present"), [
    ("本校全市第一，第二名都比不上", "absolute_claim"),  # a rank, though 第二 follows
    ("证书是人社部发的，放心报名", "impersonate_authority"),  # a statement, not a question
    ("凡报名者，考试包过！禁止外传本优惠", "guarantee_pass"),  # 禁止 about something else, after a sentence break
    ("基金从业资格 包过 无门槛 小白速来", "guarantee_pass"),  # 无门槛 is no 退费无门 (no way to a refund)
    ("高级育婴师 包过 三天出证", "guarantee_pass"),  # 包过 三天: the days are the certificate's, not a parcel's
    ("全无锡就我们一家能发这个证，别家都是假的", "absolute_claim"),  # the rivals are called fake, not the claim
    ("机构宣传：我们能保证通过", "guarantee_pass"),  # 能 alone negates nothing
    ("我们是全国唯一一家能发这个证的，别的地方都是假的", "absolute_claim"),  # rivals called fake
    ("证书上盖的就是劳动局的章，你拿去哪里都不会有人说是假的", "impersonate_authority"),  # nobody says it is fake
])
def test_the_claims_themselves_still_count(checker: Checker, text: str, present: str) -> None:
    assert present in _cats(checker.analyzer.analyze(text))


# Session 5's blind batches: FAQ pages, warnings, a licence's organ, complaints.
@pytest.mark.parametrize(("text", "absent"), [
    # an FAQ's question
    ("常见问题\nQ1：你们包拿证吗？\nA1：不包。证书要通过评价机构的考核才能取得。", "guarantee_pass"),
    ("Q1：证书国家承认吗？\nA1：低压电工作业操作证由应急管理部门考核发放，全国范围内有效。", "state_name"),
    ("凡是跟你说“国家认证”“包过”“不过退款”的，先打个问号。", "guarantee_pass"),  # a warning
    ("开班前总有家长打电话问：你们包不包过？考不过退不退钱？", "guarantee_pass"),  # an A-not-A question
    ("命题组的老师按规定不能参与任何考前培训，我们也没有这样的老师。", "impersonate_authority"),  # the rule stated
    ("二级造价工程师属于职业资格考试，由省住建等部门组织，报名条件要看清楚。", "qualification_term"),
    ("我在铜仁报名的网约车培训，我没考过，他们不退钱，我想投诉。", "guarantee_pass"),  # no refund is no promise
])
def test_session5_lawful_forms_are_not_violations(checker: Checker, text: str, absent: str) -> None:
    report = checker.check_text(text)
    assert absent not in {f.category.value for f in report.findings if f.status.value == "violation"}, \
        [(f.rule_id, f.status.value, f.evidence) for f in report.findings]


def test_an_faq_answer_that_says_yes_makes_the_claim(checker: Checker) -> None:
    report = checker.check_text("Q1：证书国家承认吗？\nA1：承认。我们就是定点培训机构。")
    assert "impersonate_authority" in _cats(report.findings)


@pytest.mark.parametrize(("text", "category"), [
    ("六盘水水城区的“金牌月嫂”培训说是全市最好的，还是人社局推荐的，都是假的", "impersonate_authority"),
    ("我在都匀刷到广告“中国科学院心理研究所心理咨询师，与国家二级同等效力，全国唯一官方认可”，交了6980。",
     "state_name"),
    ("凯里有家保安培训学校，他们的宣传单上写“公安机关指定保安员培训考试点”，骗子！", "impersonate_authority"),
])
def test_a_complainant_s_verdict_reports_the_claim(checker: Checker, text: str, category: str) -> None:
    # In an ad the verdict (都是假的, 骗子) would disown the claim; a complaint reports it, for review.
    assert category in _cats(checker.check_complaint(text).findings)
