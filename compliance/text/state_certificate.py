"""Certificates the state itself issues: their organ and the state's name are their own.

A 教师资格证书 says 中华人民共和国教育部监制 and 发证机关：XX省教育厅; a 特种作业操作证 names the emergency-management
bureau. On a training body's paper those words are the breach; on these certificates they are what the genuine
article carries, and a counterfeit of one is a forgery that a person must check against the organ's records. So
when a text is headed as one of them, its findings about organs, the state's name and qualification wording are
for review, not violations.
"""

from __future__ import annotations

import re

from compliance.contract import Category, Finding, Severity, Status
from compliance.text.normalize import fold

# Titles of certificates and licences issued by administrative organs themselves.
STATE_TITLES = (
    "教师资格证书", "特种作业操作证", "护士执业证书", "医师资格证书", "医师执业证书", "机动车驾驶证", "律师执业证",
    "法律职业资格证书", "建造师注册证书", "特种设备作业人员证", "特种设备安全管理和作业人员证", "船员适任证书",
    "导游证", "执业药师注册证", "道路运输从业人员从业资格证", "网络预约出租汽车驾驶员证",
    "社会工作者职业水平证书", "民用无人机驾驶员执照", "民用航空器驾驶员执照",
    "民用无人驾驶航空器操控员执照", "全国计算机等级考试",
    "普通话水平测试等级证书", "民办学校办学许可证", "营业执照", "保安员证", "拖拉机和联合收割机驾驶证",
    "建筑施工特种作业操作资格证书", "特种作业操作资格证", "专项职业能力证书",
)
# The professional-technical qualifications of the national catalogue (2021), whose certificates the ministries
# issue: a head naming one with 职业资格/执业资格/资格 is such a certificate. Names from ../shared/data/
# catalogue-2021.txt (a public transcription; see its header), shortened to the words a certificate prints.
CATALOGUE_PROFESSIONAL = (
    "教师", "法律职业", "注册会计师", "注册城乡规划师", "注册测绘师", "注册核安全工程师", "注册建筑师", "监理工程师",
    "房地产估价师", "造价工程师", "建造师", "注册结构工程师", "注册土木工程师", "注册化工工程师", "注册电气工程师",
    "注册公用设备工程师", "注册环保工程师", "注册验船师", "执业兽医", "导游", "医师", "护士", "注册安全工程师",
    "注册消防工程师", "注册计量师", "执业药师", "专利代理师", "拍卖师", "社会工作者", "资产评估师", "矿业权评估师",
    "环境影响评价工程师", "税务师", "设备监理师", "精算师", "计算机技术与软件专业技术", "会计专业技术", "经济专业技术",
    "卫生专业技术", "审计专业技术", "统计专业技术", "翻译专业", "出版专业技术人员", "银行业专业人员",
)
# The skilled-worker qualifications of the same catalogue: for these occupations 职业资格 is the lawful word, the
# certificate issued by the organ or a body it filed (消防设施操作员职业资格证书).
CATALOGUE_SKILLED = (
    "消防设施操作员", "保安员", "森林消防员", "应急救援员", "游泳救生员", "社会体育指导员", "家畜繁殖员",
    "民航安全检查员",
    "民航乘务员", "机场运行指挥员", "轨道列车司机", "焊接操作工",
)
_SKILLED = re.compile("|".join(CATALOGUE_SKILLED))
# A certificate's own fields (an ad may carry the title too, never a holder's name with a date or number).
_HOLDER = re.compile(r"姓\s*名\s*[：:]")
_CERT_FIELD = re.compile(r"(?:发证日期|证书编号|证书编码|评价机构|发证机关|发证单位|职业资格等级)\s*[：:]")
_SKILLED_REACH = 60  # characters around a 职业资格 finding searched for the occupation
SKILLED_NOTE = ("职业资格 for {occupation}, a skilled occupation of the national qualification catalogue: lawful when "
                "the organ or a body it filed issues it; a person checks the issuer")
# A province's professional-title certificate (贵州省专业技术职务任职资格证书): approved by a title committee under a
# human-resources department's document number.
_TITLE_CERTIFICATE = "专业技术职务任职资格证书"
_TITLE_APPROVED = re.compile(
    r"评审委员会[^\n]*\n(?:[^\n]*\n){0,3}?[^\n]*(?:(?:批准文号|文号)\s*[：:]\s*[^\n]*人社"
    r"|发证机关\s*[：:]\s*[^\n]*(?:人力资源和社会保障|人力资源社会保障)(?:局|厅))")
_CATALOGUE_TITLE = re.compile(
    "(?:" + "|".join(CATALOGUE_PROFESSIONAL) + ")(?:(?:职业资格|执业资格|资格)(?:水平)?(?:证书|证)|注册证书|注册证)")
_PROFESSIONAL_CERTIFICATE = "专业技术人员职业资格证书"
_CATALOGUE_NAME = re.compile("|".join(CATALOGUE_PROFESSIONAL))
# Characters OCR confuses in these titles: 证书 read as 正书, 机动车 as 杌动车.
_OCR = str.maketrans({"杌": "机", "怍": "作"})
_OCR_WORDS = (("正书", "证书"), ("许可正", "许可证"), ("驾驶正", "驾驶证"), ("操作正", "操作证"), ("资恪", "资格"))
_OLD_QUALIFICATION = "职业资格证书"
# The ministry's name printed under the title of its own certificate: 职业资格证书 / 中华人民共和国人力资源和社会保障部.
_MINISTRY_HEAD = re.compile(r"(?:中华人民共和国)?(?:人力资源和社会保障部|劳动和社会保障部|劳动部)")
_ORGAN_ISSUED = re.compile(
    r"(?:发证机关|发证单位)\s*[：:]\s*[^\n]{0,12}?(?:人力资源和社会保障|人力资源社会保障|劳动和社会保障)(?:厅|局|部)"
    # or the department alone on a line under its seal: 湖南省人力资源和社会保障厅（印）
    r"|^[ \t\u3000]*[\u4e00-\u9fff]{0,8}?(?:人力资源和社会保障|人力资源社会保障|劳动和社会保障)(?:厅|局|部)[ \t\u3000]*"
    r"[（(]\s*(?:印|章|签章|盖章)",
    re.MULTILINE)
_ISSUER_FIELD = re.compile(
    r"(?:发证单位|颁发单位|发证机关|发证机构|签发单位|颁证单位|审批机关|颁发机构)\s*[：:]\s*([^\n]{2,40})")
_ORGAN_NAME = re.compile(r"(?:部|厅|局|委员会|委|人民政府|政府|办公室|考试院|考试中心|语言文字工作委员会)")
# (持证人可在注册地执业 is what a genuine 执业证书 says, too.)
_CATEGORIES = frozenset({Category.IMPERSONATE_AUTHORITY, Category.STATE_NAME, Category.QUALIFICATION_TERM,
                         Category.MISLEADING_CLAIM})
_HEAD_LINES = 3
NOTE = ("a certificate the state issues itself ({title}): its organ and the state's name are its own; a person "
        "checks it against the issuing organ's records")


def state_certificate_title(text: str) -> str | None:
    """The state-issued certificate the text is headed as, if any (its first lines)."""
    lines = [fold(line) for line in text[:400].splitlines()]
    # A title broken over lines by the layout (中级注册安全工程 / 师职业资格证书) is read joined.
    head = "".join([x for x in lines if x][:_HEAD_LINES]).translate(_OCR)
    for wrong, right in _OCR_WORDS:
        head = head.replace(wrong, right)
    title = next((t for t in STATE_TITLES if t in head), None)
    if title is None and _OLD_QUALIFICATION in head and (_ORGAN_ISSUED.search(text) or _MINISTRY_HEAD.search(head)):
        # A 职业资格证书 issued by a human-resources department before 2017: genuine ones are in inspectors' piles.
        title = _OLD_QUALIFICATION
    skilled = _SKILLED.search(text[:300]) if title is None and _OLD_QUALIFICATION in head else None
    if title is None and skilled is not None and _HOLDER.search(text) and _CERT_FIELD.search(text):
        title = f"{_OLD_QUALIFICATION}（{skilled.group(0)}）"
    if title is None and _PROFESSIONAL_CERTIFICATE in head and _CATALOGUE_NAME.search(text[:300]):
        # 专业技术人员职业资格证书 with 资格名称：二级建造师: the ministries' certificate for a catalogue qualification.
        title = _PROFESSIONAL_CERTIFICATE
    if title is None and _TITLE_CERTIFICATE in head and _TITLE_APPROVED.search(text):
        title = _TITLE_CERTIFICATE
    if title is None:
        m = _CATALOGUE_TITLE.search(head)
        title = m.group(0) if m else None
    if title is None:
        return None
    # Issued by a company, school or society, it is not the state's certificate it is titled as.
    for m in _ISSUER_FIELD.finditer(text):
        if not _ORGAN_NAME.search(fold(m.group(1))):
            return None
    return title


def demote(findings: list[Finding], title: str) -> int:
    """Turn the violations of the organ, state-name and qualification categories into review; how many."""
    n = 0
    for f in findings:
        if f.category in _CATEGORIES and f.status is Status.VIOLATION:
            _to_review(f, NOTE.format(title=title))
            n += 1
    return n


# A catalogue profession said to be a 职业资格 (二级造价工程师属于职业资格考试): a fact about the catalogue. Only the
# longer names: 教师, 医师 and 导游 stand next to a training body's own claims too often.
_PROFESSION_IS = re.compile(
    "(?:" + "|".join(n for n in CATALOGUE_PROFESSIONAL if len(n) >= 4) + ")(?:考试)?(?:属于|是|为)(?:国家)?"
    "(?:准入类|水平评价类)?(?:的)?(?:专业技术人员)?(?:职业资格|执业资格)")
PROFESSION_NOTE = "{profession}: a professional qualification of the national catalogue, said to be one"


def demote_catalogue_skilled(text: str, findings: list[Finding]) -> int:
    """职业资格 violations next to a skilled occupation of the catalogue, or naming a catalogue profession as one,
    become review; how many."""
    n = 0
    professions = [(m.start(), m.end(), m.group(0)) for m in _PROFESSION_IS.finditer(text)]
    for f in findings:
        if (f.category is Category.QUALIFICATION_TERM and f.status is Status.VIOLATION
                and f.location.start is not None and f.location.end is not None and "资格" in f.evidence):
            said = [p for a, b, p in professions if a <= f.location.start and f.location.end <= b]
            if said:
                _to_review(f, PROFESSION_NOTE.format(profession=said[0]))
                n += 1
                continue
            near = _SKILLED.search(text, max(0, f.location.start - _SKILLED_REACH),
                                   min(len(text), f.location.end + _SKILLED_REACH))
            if near is not None:
                _to_review(f, SKILLED_NOTE.format(occupation=near.group(0)))
                n += 1
    return n


# The organs that do issue these licences (a training ad may truthfully say so): the market regulator for special
# equipment (叉车, 电梯, 锅炉 …), emergency management for special operations (电工作业, 焊接与热切割 …), housing and
# construction for construction special operations, transport for road and ride-hailing licences, the police for
# security guards, culture and tourism for tour guides, civil aviation for drone pilots.
TRUE_ISSUERS = (
    (re.compile(r"市场监督管理|市场监管|质量技术监督|质监"),
     re.compile(r"叉车|特种设备|电梯|锅炉|起重|压力容器|场[（(]?厂[）)]?内机动车")),
    (re.compile(r"应急管理|安全生产监督管理|安监"),
     re.compile(r"特种作业|电工作业|焊接与热切割|高处作业|制冷与空调|低压电工|高压电工|焊工证|电工证")),
    (re.compile(r"住房和城乡建设|住房城乡建设|住建|建设厅|建设局"),
     re.compile(r"建筑施工特种作业|建筑电工|架子工|塔式起重|安全生产管理人员|安管人员|三类人员")),
    (re.compile(r"交通运输|交通局|运管"), re.compile(r"网约车|网络预约出租|道路运输|从业资格|出租汽车")),
    (re.compile(r"公安"), re.compile(r"保安员")),
    (re.compile(r"文化和旅游|文旅|旅游局"), re.compile(r"导游")),
    (re.compile(r"民航|民用航空"), re.compile(r"无人机|飞行执照|驾驶员执照")),
)
_TRUE_ISSUER_REACH = 80
TRUE_ISSUER_NOTE = ("the organ named issues this licence itself ({licence}): a training body may say so truthfully; a "
                    "person checks that the body does not claim to issue it")


_NATIONWIDE = re.compile(r"全国(?:范围内)?(?:有效|通用)")
NATIONWIDE_NOTE = ("a licence the organ named issues itself ({licence}) is valid nationwide: a training body may say "
                   "so truthfully; a person checks the rest of the claim")


def demote_true_issuers(text: str, findings: list[Finding]) -> int:
    """Impersonation violations naming the organ that really issues the licence the text is about, and the
    licence's nationwide validity said next to both: review."""
    n = 0
    for f in findings:
        if (f.category is Category.STATE_NAME and f.status is Status.VIOLATION and f.location.start is not None
                and _NATIONWIDE.match(text, f.location.start)):
            lo, hi = max(0, f.location.start - _TRUE_ISSUER_REACH), f.location.start
            for organ, licence in TRUE_ISSUERS:
                if organ.search(text, lo, hi) and (m := licence.search(text, lo, hi)) is not None:
                    _to_review(f, NATIONWIDE_NOTE.format(licence=m.group(0)))
                    n += 1
                    break
            continue
        if (f.category is not Category.IMPERSONATE_AUTHORITY or f.status is not Status.VIOLATION
                or f.location.start is None or f.location.end is None):
            continue
        lo, hi = max(0, f.location.start - _TRUE_ISSUER_REACH), min(len(text), f.location.end + _TRUE_ISSUER_REACH)
        for organ, licence in TRUE_ISSUERS:
            if organ.search(f.evidence):
                m = licence.search(text, lo, hi)
                if m is not None:
                    _to_review(f, TRUE_ISSUER_NOTE.format(licence=m.group(0)))
                    n += 1
                    break
    return n


# A licence the organs issue, quoted on a line of its own by the school holding it: 办学许可证：人社民XXXX号（XX区
# 人力资源和社会保障局核发）. True or not, the register says; the organ issued the licence, not a certificate.
_LICENCE_LINE = re.compile(r"^[^\n]{0,12}(?:办学许可证|许可证号|许可证编号|营业执照|统一社会信用代码)[^\n]*$",
                           re.MULTILINE)
LICENCE_NOTE = ("the organ is named as the issuer of the school's licence on its licence line; a person checks the "
                "register")


def demote_licence_lines(text: str, findings: list[Finding]) -> int:
    """Impersonation violations inside a licence line become review; how many."""
    lines = [(m.start(), m.end()) for m in _LICENCE_LINE.finditer(text)]
    n = 0
    for f in findings:
        if (f.category is Category.IMPERSONATE_AUTHORITY and f.status is Status.VIOLATION
                and f.location.start is not None and f.location.end is not None
                and any(a <= f.location.start and f.location.end <= b for a, b in lines)):
            _to_review(f, LICENCE_NOTE)
            n += 1
    return n


def _to_review(f: Finding, note: str) -> None:
    f.status = Status.REVIEW
    f.severity = Severity.MEDIUM if f.severity is Severity.HIGH else Severity.LOW
    f.notes.append(note)
