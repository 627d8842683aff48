"""Certificate fields read from the original lines: organs in issuer, maker and seal lines; certificates the state
issues itself; licence lines."""

from __future__ import annotations

import pytest

from compliance import Checker
from compliance.contract import Status, Verdict
from compliance.text.issuer_field import RULE_ID as ISSUER
from compliance.text.state_certificate import state_certificate_title


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


def _by_rule(report, rule_id):
    return [f for f in report.findings if f.rule_id == rule_id]


@pytest.mark.parametrize(("text", "evidence"), [
    ("技能人才培训证书\n姓名：万凤英\n颁发单位：国务院职业能力建设办公室\n编号：2840-3260-8700",
     "国务院职业能力建设办公室"),
    ("高级岗位技能证书\n颁发单位：中华职业教育发展促进会\n主管单位：重庆市劳动局\n证号：2021GJZG7653619",
     "重庆市劳动局"),
    ("中国技能人才评价证书\n国家技能人才认证管理局 监制  身份证号码：610113198311086032",
     "国家技能人才认证管理局"),
    # An organ's name as the header straight above the certificate's title.
    ("农业农村部\n新型职业农民资格证书\n（高级 · 无人机植保方向）\n姓名：张三", "农业农村部"),
    # A bare label.
    ("职业资格证书\n姓名：王小明\n颁发单位：某某育婴培训中心\n监制：人力资源和社会保障部", "人力资源和社会保障部"),
    # A made-up national centre as the issuer (a centre is no organ, but one named for the nation borrows its name).
    ("（国徽）\n国家职业技能等级证书\n姓名：潘丽华\n职业：养老护理员\n颁发：国家职业技能等级认定中心",
     "国家职业技能等级认定中心"),
    # A round seal's ring read backwards by the OCR.
    ("职业技能等级证书\n姓名：叶伟\n印章：章用专定鉴能技业职部障保会社和源资力人",
     "章用专定鉴能技业职部障保会社和源资力人"),
])
def test_an_organ_in_an_issuer_maker_or_seal_line_is_impersonation(checker: Checker, text: str, evidence: str):
    # A seal read backwards and a supervisor line are seen by the line reader alone.
    if "印章" in text or "主管单位" in text or "监制：" in text:
        assert any(f.rule_id == ISSUER and f.evidence == evidence for f in checker.check_text(text).findings)
    report = checker.check_text(text)
    # The line reader raises it unless a rule already did (国务院…办公室 is also impersonate_authority.state_body).
    (finding,) = [f for f in report.findings if f.category.value == "impersonate_authority" and evidence in f.evidence]
    assert finding.status is Status.VIOLATION
    assert text[finding.location.start:finding.location.end] == finding.evidence
    assert report.verdict is Verdict.VIOLATION


@pytest.mark.parametrize("text", [
    "职业技能等级证书\n评价机构：XX智能科技有限公司\n发证机构：南宁市第一职业技术学校\n"
    "证书编号：S000045010371995197921",
    # A notice the organ signs has no certificate title under its name.
    "某区人力资源和社会保障局\n责令改正通知书\nXX人社监令〔2024〕12号\n你单位颁发的证书使用国徽",
    # Not a certificate: organs host a competition.
    "关于举办2024年职工职业技能大赛的通知\n主办单位：市总工会、市人力资源和社会保障局",
])
def test_bodies_that_are_not_organs_and_texts_that_are_not_certificates(checker: Checker, text: str):
    assert not _by_rule(checker.check_text(text), ISSUER)


@pytest.mark.parametrize(("text", "title"), [
    ("教师资格证书\n资格种类：高级中学教师资格\n发证机关：XX省教育厅（签章）\n中华人民共和国教育部监制",
     "教师资格证书"),
    # The title over two lines.
    ("中华人民共和国\n中级注册安全工程\n师职业资格证书\n姓名：杜家乐", "注册安全工程师职业资格证书"),
    ("中华人民共和国杌动车驾驶正\n姓名：张三", "机动车驾驶证"),  # OCR: 杌 for 机, 正 for 证
    # A skilled occupation of the catalogue, certified by a filed body: 职业资格 is the lawful word for it.
    ("职业资格证书\n姓名：熊某某\n职业（工种）：消防设施操作员\n职业资格等级：四级/中级技能\n评价机构：贵州某消防职业技能鉴定站",
     "职业资格证书（消防设施操作员）"),
    # OCR: 怍 for 作, 恪 for 格; an old 职业资格证书 under its department's seal line.
    ("中华人民共和国\n特种作业操怍证\n姓名：邓世雄\n作业类别：电工作业", "特种作业操作证"),
    ("教师资恪证书\n姓名：张佳琪\n资格种类：幼儿园教师资格", "教师资格证书"),
    ("职业资格证书\n姓名：石爱民\n职业（工种）：汽车修理工\n等级：高级\n湖南省人力资源和社会保障厅（印）",
     "职业资格证书"),
    ("专业技术人员职业资格证书\n姓名：汪某\n资格名称：二级建造师（建筑工程）", "专业技术人员职业资格证书"),
    # A province's professional-title certificate, approved under a human-resources document number.
    ("贵州省专业技术职务任职资格证书\n姓名：陈某某\n资格名称：工程师\n评审委员会：遵义市工程系列中级职称评审委员会\n"
     "批准文号：遵人社职称〔2024〕12号", "专业技术职务任职资格证书"),
])
def test_certificates_the_state_issues_are_recognised(text: str, title: str):
    assert state_certificate_title(text) == title


def test_a_state_certificate_keeps_its_organ_for_review_not_as_a_breach(checker: Checker):
    text = ("教师资格证书\n资格种类：高级中学教师资格\n"
            "证书号码：20234400000000000\n发证机关：XX省教育厅（签章）\n中华人民共和国教育部监制")
    report = checker.check_text(text)
    assert report.verdict is Verdict.REVIEW
    assert report.findings and all(f.status is Status.REVIEW for f in report.findings)
    assert any("state issues itself" in n for f in report.findings for n in f.notes)


def test_the_same_title_from_a_private_issuer_is_not_set_apart(checker: Checker):
    text = "幼儿教师资格证书（早教方向）\n证书编号：ZJ2022-06618\n颁发单位：中国早期教育研究会\n教育部监制\n终身有效"
    assert state_certificate_title(text) is None
    assert checker.check_text(text).verdict is Verdict.VIOLATION


def test_a_licence_line_names_its_issuing_organ_for_review(checker: Checker):
    text = ("「XX职业培训学校」小程序\n办学许可证：人社民1234号（XX区人力资源和社会保障局核发）\n"
            "开设课程：育婴员、保育师")
    report = checker.check_text(text)
    assert report.verdict is not Verdict.VIOLATION
    organ = [f for f in report.findings if f.category.value == "impersonate_authority"]
    assert organ and all(f.status is Status.REVIEW for f in organ)


def test_qualification_wording_for_a_catalogue_skilled_occupation_is_for_review(checker: Checker):
    ad = ("消防设施操作员（五级/四级）培训，本校为备案的职业技能评价机构，考核合格颁发职业资格证书"
          "（按国家职业资格目录管理）。")
    report = checker.check_text(ad)
    assert report.verdict is Verdict.REVIEW
    assert all(f.status is Status.REVIEW for f in report.findings)
    # An occupation outside the catalogue keeps its breach; an ad titled so is no certificate to set apart.
    assert checker.check_text("育婴员职业资格证书，报名从速").verdict is Verdict.VIOLATION
    assert state_certificate_title("保安员职业资格证书 全国通用 包过") is None


def test_an_ad_naming_the_organ_that_really_issues_the_licence_is_for_review(checker: Checker):
    ad = "N1叉车司机培训：理论加实操共15天，考试由市场监管部门组织，考试合格由市场监督管理局发证。学费2200元。"
    report = checker.check_text(ad)
    organ = [f for f in report.findings if f.category.value == "impersonate_authority"]
    assert organ and all(f.status is Status.REVIEW for f in organ)
    assert any("issues this licence itself" in n for f in organ for n in f.notes)
    # The same organ named for a licence it does not issue stays a breach.
    assert checker.check_text("育婴员证书由市场监督管理局发证，全国通用").verdict is Verdict.VIOLATION
