"""Context that decides whether a hit is a claim: prohibitions, mentions, titles, document numbers.

All functions read the *original* text (offsets in it) or the normalised text with its index; they
are pure and cheap, called once per candidate hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from compliance.rules.schema import ContextFile
from compliance.text.normalize import Normalized, fold

CLAUSE_BREAKS = "，,；;。！？!?\n\r"
# Punctuation no word runs across (a line break may be an OCR wrap inside a word, so it is not one of them).
WORD_BREAKS = "，,；;。！？!?"
OPEN_QUOTES = "“\"'‘「『〝＂"
CLOSE_QUOTES = "”\"'’」』〞＂"
_SCOPE = 80  # characters looked at on each side; a clause is rarely longer

# 人社部发〔2024〕29号, 渝人社办[2023]207号, 国发（2019）3号. The opening brackets and the issuer tail
# are named because the batch screen (doc_number_screen) relies on them.
DOC_OPEN = "〔[［【(（"
_DOC_ISSUER_TAIL = 6
_DOC_NUMBER_AFTER = re.compile(
    rf"[\u4e00-\u9fff]{{0,{_DOC_ISSUER_TAIL}}}\s*[{re.escape(DOC_OPEN)}]\s*(?:19|20)\d{{2}}\s*[〕\]］】)）]\s*第?\s*\d{{1,5}}\s*号"
)
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,5}\s*号")


def _alternation(words: list[str]) -> re.Pattern[str]:
    ordered = sorted({fold(w) for w in words}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered))


@dataclass(frozen=True)
class ContextRules:
    prohibition: re.Pattern[str]
    prohibition_words: tuple[str, ...]  # the literals of ``prohibition``, for the batch screen
    negations: tuple[str, ...]
    mention: re.Pattern[str]
    title_suffixes: tuple[str, ...]
    official_markers: tuple[str, ...]
    commercial_markers: tuple[str, ...]
    case: re.Pattern[str] | None = None
    # The batch screen for ``condemned``: its fixed verdict and sanction words and the case markers, folded.
    disown_marks: re.Pattern[str] | None = None
    disown_words: tuple[str, ...] = ()  # its literals: the batch path finds them with its own automaton
    complaint: bool = False  # a complaint's reading: only a rule with its sanction disowns a claim

    @classmethod
    def from_file(cls, ctx: ContextFile) -> ContextRules:
        return cls(
            prohibition=_alternation(ctx.prohibition_markers),
            prohibition_words=tuple(sorted({fold(w) for w in ctx.prohibition_markers})),
            negations=tuple(sorted({fold(w) for w in ctx.negation_markers}, key=len, reverse=True)),
            mention=_alternation(ctx.mention_markers),
            title_suffixes=tuple(fold(s) for s in ctx.official_title_suffixes),
            official_markers=tuple(dict.fromkeys(fold(s) for s in ctx.official_document_markers)),
            commercial_markers=tuple(dict.fromkeys(fold(s) for s in ctx.commercial_markers)),
            case=_alternation(ctx.case_markers) if ctx.case_markers else None,
            disown_marks=_alternation([*_DISOWN_WORDS, *ctx.case_markers]),
            disown_words=tuple(sorted({fold(w) for w in [*_DISOWN_WORDS, *ctx.case_markers]} - {""})),
            complaint=ctx.complaint,
        )


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Original [lo, hi) of the clause holding [start, end)."""
    lo = max(0, start - _SCOPE)
    for i in range(start - 1, lo - 1, -1):
        if text[i] in CLAUSE_BREAKS:
            lo = i + 1
            break
    hi = min(len(text), end + _SCOPE)
    for i in range(end, hi):
        if text[i] in CLAUSE_BREAKS:
            hi = i
            break
    return lo, hi


def hard_edges(text: str, norm: Normalized, s: int, e: int) -> tuple[bool, bool]:
    """Whether the dropped characters just before and just after the normalised hit [s, e) hold a
    WORD_BREAK in the original text."""
    index = norm.index
    os_, oe = int(index[s]), int(index[e - 1]) + 1
    prev = int(index[s - 1]) + 1 if s > 0 else 0
    nxt = int(index[e]) if e < len(index) else len(text)
    return (any(ch in WORD_BREAKS for ch in text[prev:os_]), any(ch in WORD_BREAKS for ch in text[oe:nxt]))


def norm_pos(norm: Normalized, orig: int) -> int:
    """First normalised position at or after original offset ``orig``."""
    return int(np.searchsorted(norm.index, orig))


SENTENCE_BREAKS = "。！？!?\n\r"
# A poster puts slogans side by side with spaces or a colon between them: 拒绝虚假宣传 考试包过 is two phrases,
# and the first one's prohibition word says nothing about the second. A parenthesis opens an aside of its own:
# 一律不得上岗（人社部最新规定） — the 不得 is the mandate's, not a prohibition of the words in the aside.
PHRASE_BREAKS = " \t\u3000：:（("
_PAIRS = (("“", "”"), ("「", "」"), ("『", "』"), ("〝", "〞"), ("‘", "’"))
_SAME = ('"', "'", "＂")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Original [lo, hi) of the sentence holding [start, end), at most _SCOPE characters each side."""
    lo = max(0, start - _SCOPE)
    for i in range(start - 1, lo - 1, -1):
        if text[i] in SENTENCE_BREAKS:
            lo = i + 1
            break
    hi = min(len(text), end + _SCOPE)
    for i in range(end, hi):
        if text[i] in SENTENCE_BREAKS:
            hi = i
            break
    return lo, hi


def in_quotes(text: str, start: int, end: int, lo: int, hi: int) -> bool:
    """Is [start, end) inside a pair of quotation marks within [lo, hi)? Not only “包过” but “国家承认” for 国家,
    and “通过率100%” for 通过率100 (the % is dropped by the fold but sits inside the quotes)."""
    for op, cl in _PAIRS:
        o = text.rfind(op, lo, start)
        if o >= 0 and text.find(cl, o + 1, start) < 0:
            c = text.find(cl, end, hi)
            if c >= 0 and text.find(op, end, c) < 0:
                return True
    for q in _SAME:
        if text.count(q, lo, start) % 2 == 1 and text.find(q, end, hi) >= 0:
            return True
    return False


def stated_not_claimed(text: str, norm: Normalized, start: int, end: int, rules: ContextRules) -> str | None:
    """Why the hit at original [start, end) is a rule being stated or a word being mentioned, if it is.

    - a prohibition marker earlier in the same phrase: 严禁使用国家字样, 不得宣传保过;
    - the term in quotation marks, with a prohibition or mention marker anywhere in its sentence:
      严禁使用“国家”“包过”等字样, 所谓“保过”, 学员称，机构承诺“考不过全额退款”, 宣传“一次通过率100%”属于违法行为.
    """
    return stated(text, start, end, rules)


def phrase_start(text: str, start: int, lo: int) -> int:
    """Where the phrase holding original offset ``start`` begins, within its clause starting at ``lo``."""
    for i in range(start - 1, lo - 1, -1):
        if text[i] in PHRASE_BREAKS:
            return i + 1
    return lo


def stated(text: str, start: int, end: int, rules: ContextRules) -> str | None:
    """``stated_not_claimed`` on the original text alone (both analysis paths call this)."""
    plo = phrase_start(text, start, clause_bounds(text, start, end)[0])
    if plo < start and rules.prohibition.search(_fold_context(text[plo:start])):
        return "prohibition"
    if condemned(text, start, end, rules):
        return "disowned"
    return "mention" if mentioned(text, start, end, rules) else None


# The sentence disowns the claim. Folded text, so separators and the 、 of a list do not count.
# - It goes on to call the practice unlawful: 替考、代考均属违法行为.
_CONDEMNED = re.compile(
    # (Not a rival called fake: 全市就我们一家能发，别家都是假的 is the advertiser's claim.)
    r"[\u3400-\u9fff]{0,14}?(?<!别家都)(?<!别家)(?<!别人都)(?<!外面都)(?<!其他家都)(?<!他们都)(?<!地方都)(?<!别处都)"
    r"(?<!不会有人说)(?<!没有人说)(?<!没人说)(?<!谁也不会说)"
    r"(?:(?:均属|均系|都属于|都属|均为|属于|属|系|是|可能构成|构成|涉嫌)(?:严重|明显)?"
    r"(?:违法|违规|犯罪|诈骗|虚假宣传|欺诈|骗子|骗局|骗人|假的|保证性承诺)|违反(?:了)?(?:广告法|法律|法规|规定|相关规定))"
    # - or reports it as the pretext of a fraud: 以帮人代考叉车证为由骗取钱财.
    r"|[\u3400-\u9fff]{0,14}?(?:为由|为名|为幌子)(?:骗取|诈骗|收取|敛财)"
    # - or asks whether it can be believed: 有机构说交两千块保过，可信吗？
    r"|[\u3400-\u9fff]{0,20}?(?:可信吗|能信吗|靠谱吗|是真的吗|真的假的|可靠吗|是否可信|是否可靠|是否属实|是否靠谱|是否真实)"
    # - or says the promise was not kept: 屡考不过，退费遭拒.
    r"|(?:遭拒|被拒|无门(?!槛)|受阻|未兑现|没兑现|不兑现)"
    # - or forbids its sale: 证书代办、代考类商品禁止发布; or calls it unlawful outright: 挂证违法.
    r"|[\u3400-\u9fff]{0,14}?(?:禁止|不得|严禁)(?:发布|销售|出售|上架|售卖)|[\u3400-\u9fff]{0,8}?将被(?:拦截|下架|删除|封禁)"
    r"|[\u3400-\u9fff]{0,14}?(?:虚假广告|违法广告|虚假宣传)案"
    r"|(?:违法|违规|犯法)(?![\u3400-\u9fff]{0,2}(?:必究|者))"
    # - or says the paper could not be found where it was said to be: 证书在人社部门查询系统中也查不到.
    # (Not a seller's refund on it: 全国联网可查，查不到全额退款.)
    r"|[\u3400-\u9fff]{0,10}?(?:查不到|查询不到|查无此证|查不出)(?![\u3400-\u9fff]{0,2}?(?:退|赔|不收|免费))"
    # - or turns the buyer away: 想买证的，出门左转，咱不干那事儿.
    r"|[\u3400-\u9fff]{0,8}?(?:出门左转|不干那事|不干这种|不做这种|不做这个|咱不干|我们不干|我们不做)"
    # - or calls the promise unreliable: 任何保证拿证的说法都不靠谱.
    r"|[\u3400-\u9fff]{0,10}?(?:不靠谱|靠不住|不可信|不能信)"
    # - or states the rule that forbids it: 命题组的老师按规定不能参与任何考前培训.
    r"|[\u3400-\u9fff]{0,8}?(?:按规定|按照规定|依规|依法)(?:不能|不得|不允许|禁止|严禁)"
    # - or says no training can promise it: 高薪入职不是培训能承诺的.
    r"|[\u3400-\u9fff]{0,4}?不是[\u3400-\u9fff]{0,6}?(?:能|可以|可)?(?:承诺|保证)的"
)
# - It is a rule with its sanction: 对…组织替考、代考的，依照…严肃处理.
_SANCTIONED = re.compile(
    r"(?:严肃处理|依法处理|依法查处|从严查处|严肃查处|追究[\u3400-\u9fff]{0,6}责任|移送司法机关|移送公安|承担刑事责任|判处|取消[\u3400-\u9fff]{0,4}?(?:成绩|资格)|依规(?:作废|处理|取消)|作废相关证书|终止其?备案|广告被(?:罚|处罚|查处|立案))"
)
# - It reports a case: 警方破获…, 法院审理查明…, 记者调查发现… (ContextRules.case, from the context file: a
#   complaint's reading leaves out the words a complainant uses, such as 反映).
# - A customer asks whether it can be had: 能保证考过吗？ (the asking word right before, the question right after).
# 证书是人社部发的吗？ asks too.
_ASKING = ("能", "可以", "可不可以", "能不能", "会不会", "是不是", "有没有", "能否", "是", "问")
_QUESTION_END = re.compile(
    r"[\u3400-\u9fff]{0,6}?(?:吗|么|嘛)?[？?]|[\u3400-\u9fff]{0,6}?(?:吗|么|嘛)(?![\u3400-\u9fff])"
)
# What the batch path's screen looks for in the folded text (with the case markers: a superset of the above).
_DISOWN_WORDS = ("违法", "违规", "犯罪", "诈骗", "虚假", "欺诈", "严肃", "依法", "从严", "追究", "移送", "刑事", "判处",
                 "骗子", "骗局", "假的", "保证性承诺", "违反", "遭拒", "被拒", "无门", "受阻", "兑现", "取消",
                 "禁止", "不得", "严禁", "拦截", "下架", "删除", "封禁", "犯法", "依规", "作废", "终止",
                 "承诺的", "保证的", "按规定", "按照规定", "查不到", "查询不到", "查无此证", "查不出",
                 "靠谱", "靠不住", "可信", "能信", "出门左转", "不干", "不做这", "我们不做", "广告被", "骗人", "为由",
                 "为名", "为幌子", "真的吗", "真的假的", "可靠吗", "是否可", "是否属实", "是否靠谱", "是否真实",
                 # the heads of a warning (_WARNING)
                 "谁说", "谁讲", "谁承诺", "谁保证", "谁宣称", "谁跟你", "谁和你", "谁私聊", "谁私信", "谁要是",
                 "任何人", "凡是")
QUESTION_MARKS = re.compile(r"[吗么嘛？?]")
QUESTION_REACH = 16
_FAQ_ASK = ("问", "提问", "学员问", "网友问", "客户问", "家长问", "记者问", "暗访记者问", "哪些", "什么样的")
# A chat turn by the other party asks too: 客户：你们能帮我把二建证挂出去吗？ (the speaker and a colon).
_CHAT_TURN = re.compile(  # (@阿豪在东莞： is a commenter in a thread)
    r"[ \t\u3000]*(?:(?:客户|学员|顾客|家长|网友|用户|买家|学生|咨询者)|@[^\s：:@]{1,20})"
    r"[ \t\u3000]*[：:]")
# A warning against whoever makes the claim, right before it: 谁跟你说包过的你就要小心了,
# 任何人承诺“不用考试”的都是骗子.
_WARNING = re.compile(
    r"(?:谁(?:跟你|和你|私聊|私信|要是)?|任何人|凡是(?:跟你|和你|对你|跟您|对您)?)(?:说|讲|承诺|保证|宣称)(?:能|可以|会)?"
    r"[\u3400-\u9fff]{0,8}$")
# (Q1： and 问题： too: an FAQ page's numbered questions, a Q&A site's question.)
_FAQ_MID = re.compile(r"(?:(?:网友|学员|客户|家长|记者|主持人|有人)?问|[Qq][0-9]{0,2}|问题)[：:]")
# ... unless the answer right after says yes: Q1：证书国家承认吗？A1：承认。 makes the claim.
_AFFIRMED = re.compile(
    r"[？?吗么嘛]*\s*(?:[Aa][0-9]{0,2}|答)[：:]\s*(?:是的|是|对|承认|认可|能|可以|包|当然|会|有|保证|没问题)(?![不没])")
# An FAQ's question runs longer than a customer's aside: 问：「国家职业资格证书」和「职业技能等级证书」有啥区别？
FAQ_REACH = 40


def condemned(text: str, start: int, end: int, rules: ContextRules) -> bool:
    """The hit at original [start, end) is disowned by its own sentence: called unlawful, a rule with its
    sanction, a case being reported, or a customer's question."""
    slo, shi = sentence_bounds(text, start, end)
    tail = _fold_context(text[end:shi])
    if rules.complaint:
        # The complainant calls the claim false or unlawful, warns, asks whether it is legal: all of that reports it.
        return bool(_SANCTIONED.search(tail))
    if _CONDEMNED.match(tail) or _SANCTIONED.search(tail):
        return True
    head = _fold_context(text[slo:start])
    if rules.case is not None and rules.case.search(head):
        return True
    if _WARNING.search(head):
        return True
    # An FAQ's question: 问：你们的证书是国家职业资格证书吗？ (the question mark within the batch screen's reach), also
    # when the 问： comes after a heading in the same sentence (…直播答疑（文字整理）：问：有机构说…，能信吗？).
    if ((head.startswith(_FAQ_ASK) or _CHAT_TURN.match(text, slo) or _FAQ_MID.search(text, slo, start))
            and (mark := QUESTION_MARKS.search(text, end, min(shi + 1, end + FAQ_REACH)))
            and not _AFFIRMED.match(text, mark.end())):
        return True
    before = _fold_context(text[max(slo, start - 6) : start])
    if before.endswith(_ASKING):
        clause_end = end
        while clause_end < len(text) and clause_end < end + QUESTION_REACH and text[clause_end] not in "，,；;。！!\n":
            clause_end += 1
        if _QUESTION_END.match(text[end : clause_end + 1]):
            return True
    return False


def mentioned(text: str, start: int, end: int, rules: ContextRules) -> bool:
    """The second half of ``stated``: the hit in quotation marks, with a mention or prohibition marker in its
    sentence. The batch path decides the first half (a prohibition marker in the phrase) in numpy."""
    slo, shi = sentence_bounds(text, start, end)
    if in_quotes(text, start, end, slo, shi):
        before, after = _fold_context(text[slo:start]), _fold_context(text[end:shi])
        for marks in (rules.mention, rules.prohibition):
            if marks.search(before) or marks.search(after):
                return True
        # A quiz: 以下说法哪些违规？A.「国家级金牌讲师授课」 B.「…」 — the options answer the question before them.
        if slo > 0 and text[slo - 1] in "？?":
            plo, _ = sentence_bounds(text, slo - 1, slo - 1)
            question = _fold_context(text[plo : slo - 1])
            if any(w in question for w in _QUIZ) and (rules.mention.search(question)
                                                      or rules.prohibition.search(question)):
                return True
        # A news item quotes the claim in its headline and reports the case in the next sentence:
        # 花4800元买的“国家高级心理咨询师”证书，上网却查不到。市民王女士向记者反映….
        if rules.case is not None:
            lo, hi = max(0, start - NEWS_REACH), min(len(text), end + NEWS_REACH)
            if rules.case.search(fold(text[lo:hi])):
                return True
    return False


NEWS_REACH = 160  # characters each side of a quoted claim in which a case report counts


_QUIZ = ("哪些", "哪个", "哪几", "哪一", "下列", "以下", "是否")


# Ads repeat their sentences; folding a context string is cheap but not free.
_fold_context = lru_cache(maxsize=4096)(fold)


_NEGATION_REACH = 10  # the window holds the longest marker (没有任何正规机构能); a marker must end at the hit


_DOUBLE = frozenset("无没非未不莫")


@lru_cache(maxsize=8)
def _negations_ending(markers: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The negation markers by their last character, in their order (the first that ends the window counts)."""
    out: dict[str, list[str]] = {}
    for m in markers:
        if m:
            out.setdefault(m[-1], []).append(m)
    return {k: tuple(v) for k, v in out.items()}


def negated(ntext: str, start: int, rules: ContextRules) -> bool:
    """A negation right before the normalised hit start: 未经人社部门备案, 不承诺包过, 非国家机关.

    A double negative is an affirmation: 学员无不包过 ("every student passes") is a claim.
    """
    before = ntext[max(0, start - _NEGATION_REACH - 1) : start]
    if not before:
        return False
    for marker in _negations_ending(rules.negations).get(before[-1], ()):
        if before.endswith(marker):
            lead = len(before) - len(marker) - 1
            return not (lead >= 0 and before[lead] in _DOUBLE)
    return False


def in_official_title(text: str, start: int, end: int, rules: ContextRules) -> bool:
    """Inside 《…》 whose title names an official instrument: 《中华人民共和国广告法》, 《国家职业资格目录》."""
    lo = max(0, start - _SCOPE)
    opening = text.rfind("《", lo, start)
    if opening < 0 or text.rfind("》", opening, start) >= 0:
        return False
    closing = text.find("》", end, min(len(text), end + _SCOPE))
    if closing < 0 or text.find("《", end, closing) >= 0:
        return False
    title = _fold_title(_EDITION.sub("", text[opening + 1 : closing]))
    return title.endswith(rules.title_suffixes)


# An edition or year after the title proper: 《中国居民膳食指南（2022）》, 《…标准（2019年版）》.
_EDITION = re.compile(r"\s*[（(][^（）()]{0,12}[）)]\s*$")
# Documents cite the same few instruments over and over.
_fold_title = lru_cache(maxsize=1024)(fold)


def in_doc_number(text: str, end: int) -> bool:
    """The hit is the issuer part of a document number: 人社部发〔2024〕29号."""
    return _DOC_NUMBER_AFTER.match(text, end) is not None


# A text that opens with a law's or regulation's name and an article number.
_STATUTE_HEAD = re.compile(
    r"\s*《?(?:中华人民共和国)?[\u4e00-\u9fff]{2,24}(?:法|条例|规定|办法|细则)》?\s*第[一二三四五六七八九十百零〇0-9]+条")


_ORGAN_SPEAKS = re.compile(
    r"\s*[\u4e00-\u9fff]{0,10}?(?:(?:人力资源和社会保障|人力资源社会保障|人社|市场监督管理|市场监管|应急管理|教育|公安|交通运输|住房和城乡建设)"
    r"(?:厅|局|部)|税务(?:总局|局)|消防救援(?:总队|支队))"
    r"[\u4e00-\u9fff（）()]{0,12}?(?:提醒|提示|答复|回复|通告|公告|政务直播|直播答疑|答疑|问答|公布|发布|印发|公示)")


# A notice's head: the issuing organs, then its title (黑龙江省人力资源和社会保障厅 黑龙江省市场监督管理局
# 关于通报…的通知).
_ORGAN_TITLE = re.compile(
    r"\s*(?:[\u4e00-\u9fff]{2,24}?(?:厅|局|部|委员会|人民政府|办公室|办公厅)[ \t\u3000、，,]*){1,4}\n?\s*"
    r"关于[^\n。]{2,80}?的(?:通知|通报|公告|通告|意见|决定|批复|函)")


def official_document(text: str, rules: ContextRules, head: int = 20_000) -> bool:
    """Does the text read as a government notice (header document number, notice formulae, no selling)?

    Selling is looked for in the head and the tail (a pitch appended to a copied notice), and two different
    selling signals are enough to say no: a notice may give a contact telephone, it does not sell.
    """
    sample = text[:head]
    folded = fold(sample)
    if ((_STATUTE_HEAD.match(sample) or _ORGAN_SPEAKS.match(sample) or _ORGAN_TITLE.match(sample))
            and not any(m in folded for m in rules.commercial_markers)):
        # An article of a law quoted whole (《中华人民共和国广告法》第九条 广告不得有下列情形：…), or the organ speaking
        # in its own name with nothing to sell (湖南省人力资源和社会保障厅提醒：…, 佛山市人社局政务直播实录：…, a notice
        # headed by its organs and its title).
        return True
    tail = fold(text[-5_000:]) if len(text) > head else ""
    has_number = DOC_NUMBER.search(sample[:600]) is not None and _organ_header(sample)
    markers = sum(1 for m in rules.official_markers if m in folded)
    selling = sum(1 for m in rules.commercial_markers if m in folded or m in tail)
    if selling >= 2:
        return False
    score = (3 if has_number else 0) + min(markers, 6) - 2 * selling
    return score >= 5


# An administrative organ's name as a header line: 重庆市人力资源和社会保障局办公室, XX县人民政府文件. A red
# header from 全国职业技能认定管理中心 or 中华人才评价协会 is what scams dress up as: its number counts for nothing.
_ORGAN_LINE = re.compile(
    r"^[\u4e00-\u9fff（）()、]{2,40}?"
    r"(?:部|厅|局|委员会|委|人民政府|政府|办公厅|办公室|法院|检察院|常委会|管委会)(?:文件)?$")
_HEADER_LINES = 6


def _organ_header(sample: str) -> bool:
    lines = [re.sub(r"\s+", "", line) for line in sample[:400].splitlines()]
    return any(_ORGAN_LINE.match(line) for line in [x for x in lines if x][:_HEADER_LINES])


# -- batch screens ----------------------------------------------------------------------------------
# The analyzer's batch path asks, for all candidates of a text at once, whether each check above *could*
# reject a candidate; only those go to the check itself. Every screen is a necessary condition of its
# check (it may say yes where the check says no, never the reverse), so it must change with the check.


def _unit_table(chars: str) -> npt.NDArray[np.bool_]:
    table = np.zeros(0x10000, dtype=bool)
    for ch in chars:
        if ord(ch) < 0x10000:
            table[ord(ch)] = True
    return table


_BREAK_UNITS = _unit_table(CLAUSE_BREAKS)
_WORD_BREAK_UNITS = _unit_table(WORD_BREAKS)
_OPEN_QUOTE_UNITS = _unit_table(OPEN_QUOTES)
_CLOSE_QUOTE_UNITS = _unit_table(CLOSE_QUOTES)
_DOC_OPEN_UNITS = _unit_table(DOC_OPEN)
_SPACE_UNITS = _unit_table("".join(chr(c) for c in range(0x10000) if chr(c).isspace()))  # = re's \s
_TITLE_OPEN_UNITS = _unit_table("《")
_PHRASE_BREAK_UNITS = _unit_table(PHRASE_BREAKS)

Units = npt.NDArray[np.uint16]
Offsets = npt.NDArray[np.intp]


def _where(table: npt.NDArray[np.bool_], units: Units, among: Offsets | None) -> Offsets:
    """Offsets of the characters ``table`` marks; only ``among`` these offsets if given (a superset)."""
    if among is None:
        return np.flatnonzero(table.take(units))
    return among[table.take(units.take(among))]


def clause_breaks(units: Units, dropped: Offsets | None = None) -> Offsets:
    """Offsets of the clause breaks in a text (``units`` = its code units), for ``clause_bounds_batch``.
    ``dropped``: the offsets the fold drops, a superset that is quicker to search (breaks are punctuation)."""
    return _where(_BREAK_UNITS, units, dropped)


def hard_edges_batch(units: Units, index: Offsets, starts: Offsets, ends: Offsets,
                     dropped: Offsets | None = None) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """``hard_edges`` for many normalised hits [starts, ends) of one text: exact."""
    marks = _where(_WORD_BREAK_UNITS, units, dropped)
    n, big = len(index), len(units)
    if not len(marks) or not len(starts):
        return np.zeros(len(starts), dtype=bool), np.zeros(len(starts), dtype=bool)
    os_ = index.take(starts)
    oe = index.take(ends - 1) + 1
    prev = np.where(starts > 0, index.take(np.maximum(starts - 1, 0)) + 1, 0)
    nxt = np.where(ends < n, index.take(np.minimum(ends, n - 1)), big)
    k = np.searchsorted(marks, os_) - 1  # the last mark before the hit
    hard_start = (k >= 0) & (marks.take(np.maximum(k, 0)) >= prev)
    k = np.searchsorted(marks, oe)  # the first mark after the hit
    hard_end = (k < len(marks)) & (marks.take(np.minimum(k, len(marks) - 1)) < nxt)
    return hard_start, hard_end


def phrase_starts_batch(units: Units, starts: Offsets, clause_lo: Offsets,
                        dropped: Offsets | None = None) -> Offsets:
    """``stated``'s phrase start for many hits of one text (original ``starts``, their clause starts
    ``clause_lo``): just after the last PHRASE_BREAK in [clause_lo, start), else clause_lo. Exact."""
    marks = _where(_PHRASE_BREAK_UNITS, units, dropped)
    if not len(marks) or not len(starts):
        return clause_lo
    k = np.searchsorted(marks, starts) - 1  # the last phrase break left of the hit
    prev = marks.take(np.maximum(k, 0))
    return np.where((k >= 0) & (prev >= clause_lo), prev + 1, clause_lo)


def clause_bounds_batch(units: Units, starts: Offsets, ends: Offsets,
                        breaks: Offsets | None = None) -> tuple[Offsets, Offsets]:
    """``clause_bounds`` for many hits of one text: exact, not a screen."""
    n = len(units)
    if breaks is None:
        breaks = clause_breaks(units)
    lo = np.maximum(starts - _SCOPE, 0)
    hi = np.minimum(ends + _SCOPE, n)
    if not len(breaks):
        return lo, hi
    before = np.searchsorted(breaks, starts) - 1  # the last break left of the hit
    prev = breaks.take(np.maximum(before, 0))
    lo = np.where((before >= 0) & (prev >= lo), prev + 1, lo)
    after = np.searchsorted(breaks, ends)  # the first break at or right of the hit's end
    nxt = breaks.take(np.minimum(after, len(breaks) - 1))
    hi = np.where((after < len(breaks)) & (nxt < hi), nxt, hi)
    return lo, hi


def quote_screen(units: Units, starts: Offsets, dropped: Offsets | None = None) -> npt.NDArray[np.bool_]:
    """Could ``in_quotes`` hold? Only with an opening (or two-way) quotation mark in the _SCOPE characters
    before the hit."""
    opens = _where(_OPEN_QUOTE_UNITS, units, dropped)
    if not len(opens):
        return np.zeros(len(starts), dtype=bool)
    last = np.searchsorted(opens, starts) - 1
    return (last >= 0) & (opens.take(np.maximum(last, 0)) >= starts - _SCOPE)


def condemn_screen(text: str, norm: Normalized, starts: Offsets, ends: Offsets, rules: ContextRules,
                   marks: Offsets | None = None) -> npt.NDArray[np.bool_]:
    """Could ``condemned`` hold? Only with one of its markers (found in the folded text, as ``condemned`` reads
    it) within _SCOPE characters of the hit — a sentence reaches no further — or a question mark just after it.
    ``marks``: the original offsets where the markers (``rules.disown_words``) start, sorted, if the caller found
    them already (every occurrence, overlapping or not: a superset of what the alternation finds)."""
    out = np.zeros(len(starts), dtype=bool)
    if marks is None:
        assert rules.disown_marks is not None
        folded = np.fromiter((m.start() for m in rules.disown_marks.finditer(norm.text)), dtype=np.intp)
        marks = norm.index.take(folded)
    asked = np.fromiter((m.start() for m in QUESTION_MARKS.finditer(text)), dtype=np.intp)
    for pos, before, after in ((marks, _SCOPE, _SCOPE), (asked, 0, max(QUESTION_REACH, FAQ_REACH))):
        if not len(pos):
            continue
        first = np.searchsorted(pos, starts - before)
        near = pos.take(np.minimum(first, len(pos) - 1))
        out |= (first < len(pos)) & (near < ends + after)
    return out


def title_screen(units: Units, starts: Offsets, dropped: Offsets | None = None) -> npt.NDArray[np.bool_]:
    """Could ``in_official_title`` hold? Only with a 《 in the _SCOPE characters before the hit."""
    opens = _where(_TITLE_OPEN_UNITS, units, dropped)
    if not len(opens):
        return np.zeros(len(starts), dtype=bool)
    last = np.searchsorted(opens, starts) - 1
    return (last >= 0) & (opens.take(np.maximum(last, 0)) >= starts - _SCOPE)


def doc_number_screen(units: Units, ends: Offsets, dropped: Offsets | None = None) -> npt.NDArray[np.bool_]:
    """Could ``in_doc_number`` hold? Its regex takes up to _DOC_ISSUER_TAIL Han characters, then spaces,
    then an opening bracket: so the first bracket after the hit is near, or has a space before it."""
    opens = _where(_DOC_OPEN_UNITS, units, dropped)
    if not len(opens):
        return np.zeros(len(ends), dtype=bool)
    first = np.searchsorted(opens, ends)
    at = opens.take(np.minimum(first, len(opens) - 1))
    spaced = _SPACE_UNITS.take(units.take(np.maximum(at - 1, 0)))
    return (first < len(opens)) & ((at - ends <= _DOC_ISSUER_TAIL) | spaced)


def negation_screen(folded: Units, starts: Offsets, rules: ContextRules) -> npt.NDArray[np.bool_]:
    """Could ``negated`` hold? Only if the character before the hit ends some negation marker."""
    table = _last_units(rules.negations)
    return (starts > 0) & table.take(folded.take(np.maximum(starts - 1, 0)))


@lru_cache(maxsize=8)
def _last_units(words: tuple[str, ...]) -> npt.NDArray[np.bool_]:
    return _unit_table("".join(w[-1] for w in words if w))


# A registered enterprise name after the hit, within the clause: 中国一拖集团有限公司, 中华精工电气（西安）有限公司. Han
# characters and the brackets of a place name only, so the name cannot run across punctuation or a line.
_ENTERPRISE_NAME = re.compile(
    r"[\u3400-\u9fff（）()]{0,18}?(?:集团有限公司|集團有限公司|股份有限公司|有限责任公司|有限責任公司|有限公司|集团公司|集團公司|股份公司|集团|集團|出版社|出版集团)"
)


def begins_enterprise_name(text: str, end: int) -> bool:
    """Does the hit ending at original offset ``end`` begin an enterprise's registered name?"""
    return _ENTERPRISE_NAME.match(text, end, min(len(text), end + 24)) is not None


_LIST_MARKS = "，,、：:．.）)"


_LIST_OPENS = "：:。；;！!？?\n\r\t （(【[“\""
_SECOND = re.compile(r"第二[，,、：:．.）)]")


def enumerates(text: str, start: int, end: int) -> bool:
    """第一，看编号；第二，上网查: the ordinal opens a list item (at a clause's start, a mark right after it, 第二 with
    its own mark further on); it claims no rank. 全市第一，第二名都比不上 is a rank."""
    if end >= len(text) or text[end] not in _LIST_MARKS or fold(text[start:end]) != "第一":
        return False
    if start > 0 and text[start - 1] not in _LIST_OPENS:
        return False
    return _SECOND.search(text, end, end + 2 * _SCOPE) is not None
