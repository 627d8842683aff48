"""A deterministic corpus of mixed Chinese training-ad text for throughput benchmarks.

Mostly lawful sentences (course ads, schedules, contact lines, news, daily life, regulators' notices
that quote the forbidden words) with a minority of violating ones, plus the noise real pages carry:
traditional characters, separators inside terms, English and digits, line breaks mid-sentence.
The same seed always gives the same text, so figures from different runs are comparable.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from functools import lru_cache

# Ordinary, lawful training-ad sentences.
LAWFUL_ADS = [
    "中式面点师实操班，每周二、四晚上课。",
    "本课程由高级讲师授课，理论与实操结合。",
    "学员完成学习后颁发结业证明。",
    "报名地址：渝中区解放碑民族路128号五楼。",
    "咨询电话：023-6888 1234，工作日9:00-18:00。",
    "Python数据分析周末班，每周六9:00-12:00上课，共12周。",
    "Excel与PPT办公技能提升课，适合在职人员。",
    "AutoCAD机械制图入门，学费1980元，分两期缴纳。",
    "新学期电工实操课程将于3月15日开班。",
    "焊工培训课程包含安全教育、理论学习和实操训练三部分。",
    "课程结束后组织结业考核，考核合格者可获得结业证书。",
    "母婴护理课程内容包括新生儿护理、产妇护理与营养配餐。",
    "养老护理员培训班面向社区护理人员招生。",
    "会计实务课程涵盖记账、报税与财务软件操作。",
    "叉车操作培训在室外场地进行，请穿着劳保鞋。",
    "西式面点课程每班限20人，保证每位学员都有实操机会。",
    "本机构为区人社部门备案的培训机构，备案编号可在现场查阅。",
    "周一至周五晚班19:00-21:00，周末全天班。",
    "课程采用小班教学，老师随堂答疑。",
    "欢迎携带身份证原件到前台办理报名手续。",
    "UI设计课程使用Figma和Photoshop，自备笔记本电脑。",
    "考前请认真复习教材第三章至第五章的内容。",
    "本期课程共48课时，其中实操不少于24课时。",
    "学员可在线上平台回看课程录像，有效期一年。",
    "培训费用包含教材费和实训耗材费。",
    "开课后七天内可申请退费，逾期不予办理。",
    "不过，退款需在开课前七天申请。",
    "学费一经缴纳概不退还，请慎重选择。",
    "课程不错，不过退费流程较慢。",
    "报名后请于三日内缴费，逾期名额顺延。",
    "最好提前十分钟到场签到。",
    "学员最好自带电脑和充电器。",
    "按照国家职业技能标准组织教学和考核。",
    "对照国家职业资格目录核对证书名称。",
    "全国各地学员均可报名，线上授课。",
    "第一期学员已顺利结业，第二期正在招生。",
    "开课第一天请带好身份证和一寸照片两张。",
    "第一次参加考试的同学请提前到场熟悉考场。",
    "我们确保过程透明，收费公开。",
    "本培训基地配备数控车床12台、加工中心4台。",
    "育婴员课程由三甲医院退休护士长授课。",
    "茶艺课程学习绿茶、红茶、乌龙茶的冲泡方法。",
    "插花艺术班招生中，材料费另计。",
    "短视频剪辑课程教授Premiere与剪映的使用。",
    "电商运营课程包括店铺装修、推广与客服管理。",
    "汽车维修课程配有发动机拆装实训台。",
    "美容美发课程实行师傅带徒弟的教学方式。",
    "烹饪班学员每天中午可品尝自己制作的菜品。",
    "报名需提供学历证明复印件一份。",
    "课程表以教务处最新通知为准。",
    "停车场位于大楼负一层，学员停车免费两小时。",
    "教学楼内禁止吸烟，请配合。",
    "请关注公众号获取上课提醒。",
    "线上课程支持手机、平板和电脑多端学习。",
    "本周六下午举行学员作品展，欢迎家长参观。",
    "英语口语课外教为英国籍，持有TEFL证书。",
    "CFA一级备考班采用官方教材，配套习题讲解。",
    "中级会计职称考试辅导课程下周开班。",
    "软考系统集成项目管理工程师备考资料已上传。",
    "Java后端开发训练营为期16周，含3个项目实战。",
    "中医推拿课程由执业医师讲解经络穴位。",
    "心理咨询入门课程仅作个人成长学习之用。",
    "建筑施工安全课程依据现行安全生产法律法规编写。",
    "家政服务员课程包括保洁、收纳与家电清洗。",
    "物流仓储管理课程使用WMS系统模拟操作。",
    "咖啡师课程学习意式浓缩、拉花和手冲技巧。",
    "化妆造型课程附送基础化妆品套装一份。",
    "摄影课程周日外拍，地点另行通知。",
    "钢琴陪练课程按课时收费，每课时45分钟。",
    "少儿编程课程适合8至14岁学生。",
    "微信：edu_cq2024，添加请备注姓名。",
    "公司人力资源部负责员工入职培训。",
    "请携带劳动合同原件到现场办理。",
    "依据人社部发〔2024〕29号文件要求组织培训。",
    "报名地址：中华路88号二楼。",
    "办理中国移动宽带送话费。",
    "集中国内外优质师资，打造精品课程。",
    "完全国产化的数控设备供学员练习。",
    "本课程循序渐进，注重实操。",
    "课程内容包括就业指导和面试技巧。",
    "查询结果以官方公布为准。",
]

# General text an ad page or a document set also carries: news, notices, daily life, tricky neighbours.
GENERAL = [
    "今天重庆多云转小雨，气温12到18摄氏度。",
    "周末出行别忘了带上面包过去野餐。",
    "数据包过滤是防火墙的基本功能。",
    "他担保过很多次，这次也没问题。",
    "小朋友背着书包过马路要注意安全。",
    "淘宝Taobao过年不打烊。",
    "地铁2号线将于下月延长运营时间。",
    "社区图书馆新到一批儿童绘本。",
    "本小区周三上午停水，请提前储水。",
    "年轻人越来越重视职业规划。",
    "春节假期高速公路小型客车免费通行。",
    "今年一季度本市新增就业岗位三万余个。",
    "超市鸡蛋价格较上周略有下降。",
    "我国粮食产量连续多年保持稳定。",
    "他把旧手机送到了回收点。",
    "这家面馆的小面味道很正宗。",
    "孩子们在操场上踢足球。",
    "新能源汽车销量持续增长。",
    "博物馆周一闭馆，其余时间免费开放。",
    "图书馆的自习室需要提前预约。",
    "医院门诊部搬到了新大楼三层。",
    "物业提醒业主关好门窗，谨防盗窃。",
    "夏天注意防暑降温，多喝水。",
    "他每天早上六点起床跑步。",
    "会议将于下午两点在三楼会议室举行。",
    "请各部门于本周五前提交年度总结。",
    "快递已放在小区门口的快递柜。",
    "网购时请核对收货地址和联系电话。",
    "项目验收时间定在下个月中旬。",
    "公园里的樱花开了，游客很多。",
    "Version 2.3.1 fixes a crash on startup.",
    "Meeting ID: 845 2231 9087, passcode 6612.",
    "订单号20240315008812已发货。",
    "WiFi密码是abc12345，请勿外传。",
    "这本书第一次印刷就卖完了。",
    "面包过期了就不要再吃了。",
    "工商银行网点周六正常营业。",
    "交通部门提醒雨天路滑，减速慢行。",
    "劳动节期间景区实行预约入园。",
    "公安机关提醒市民警惕电信诈骗。",
    "国家统计局发布了最新的居民消费价格指数。",
    "中国队在比赛中获得了两枚金牌。",
    "全国大部分地区气温回升。",
    "中华民族传统节日端午节即将到来。",
    "他在国家图书馆查阅了资料。",
    "全国人大代表就职业教育问题提出建议。",
    "工厂里的机器已经更新换代。",
    "学校操场新铺了塑胶跑道。",
    "请在截止日期前完成网上申报。",
    "老人在公园里下象棋。",
]

# Regulators and news quoting the forbidden words: lawful, and hard for the engine.
REGULATORY = [
    "严禁使用“国家”“包过”等字样进行宣传。",
    "培训广告不得宣传“保过”“包拿证”。",
    "依据《中华人民共和国广告法》第二十四条，培训广告不得承诺通过考试。",
    "根据中华人民共和国劳动法相关规定签订劳动合同。",
    "证书不得使用“中华人民共和国”“中国”“职业资格”等字样。",
    "市场监管部门查处一批虚假宣传“包过”的培训机构。",
    "警惕所谓“国家认证”的山寨证书。",
    "消费者可通过12315平台投诉举报虚假培训广告。",
    "谨防“内部名额”“考前原题”等骗局。",
    "对照《国家职业资格目录》可以查询证书是否属于国家职业资格。",
]

# Violating sentences: what the engine is there to find.
VIOLATING = [
    "叉车司机证快速班，包过，七天拿证。",
    "教师资格面试保过协议班，今晚截止。",
    "考试未通过，全额退还培训费用。",
    "历年学员一次通过率高达100%。",
    "颁发中华人民共和国职业技能证书。",
    "中国技能人才发展中心认证，高级技师证书。",
    "证书国家承认，全国联网可查。",
    "全国职业技能培训中心统一颁发证书。",
    "国字号证书，含金量高。",
    "可获得人员资格证书及职业技能鉴定证书。",
    "考取职业资格证，享受个税抵扣。",
    "颁发中华人民共和国人力资源和社会保障部监制证书。",
    "人社部备案机构，证书入编入库。",
    "劳动局认证电工证，政府补贴。",
    "由省人社厅统一颁发证书。",
    "住建部颁发八大员证书，全国通用。",
    "全国最好的培训机构，行业第一。",
    "国家级示范培训基地，师资顶级。",
    "本地唯一授权考点，名额有限。",
    "拿证后可挂靠，年收益两万。",
    "学完轻松月入过万。",
    "毕业推荐高薪工作，包就业。",
    "内部名额，先到先得。",
    "月嫂速成班，无门槛。",
    "不限学历，人人可考。",
    "命题组专家亲自授课。",
    "资深考官面授，考点全掌握。",
    "不过包退，放心报名。",
    "一次考不过免费重学。",
    "通过后再付款，零风险。",
    "先拿证后付费，先学后付。",
    "包教包会，随到随学。",
    "零基础包拿证，十五天出证。",
    "证书官网可查，全国通用。",
    "政府主推项目，名额有限。",
    "家政从业人员上岗必备证书。",
    "考核合格颁发职业技能等级证书。",
    "Bao过班火热报名中，报名电话138 0000 1234。",
    "持证月薪2万起，企业抢着要。",
    "签约保过，不过全额退款。",
]

# Terms an evader splits with separators (包 过, 职·业·资·格): spliced in where a violating sentence has one.
SPLITTABLE = ["包过", "保过", "职业资格", "国家承认", "包拿证", "人员资格", "包就业", "挂靠", "国字号", "联网可查"]
SEPARATORS = [" ", "·", "*", "\u200b", "-", "  ", "、", "❤"]

BANK_SIZE = len(LAWFUL_ADS) + len(GENERAL) + len(REGULATORY) + len(VIOLATING)


@lru_cache(maxsize=1)
def _traditional() -> dict[str, str]:
    """Every bank sentence and splittable term in traditional characters (OpenCC ships with the engine)."""
    import opencc

    conv = opencc.OpenCC("s2t")
    return {s: conv.convert(s) for s in LAWFUL_ADS + GENERAL + REGULATORY + VIOLATING + SPLITTABLE}


def _split_term(sentence: str, rng: random.Random) -> str:
    trad = _traditional()
    for term in SPLITTABLE:
        for form in (term, trad[term]):
            at = sentence.find(form)
            if at >= 0:
                cut = at + rng.randrange(1, len(form))
                return sentence[:cut] + rng.choice(SEPARATORS) + sentence[cut:]
    return sentence


def _sentence(rng: random.Random, violation_rate: float) -> str:
    roll = rng.random()
    violating = roll < violation_rate
    if violating:
        s = rng.choice(VIOLATING)
    elif roll < violation_rate + 0.03:
        s = rng.choice(REGULATORY)
    elif roll < 0.6:
        s = rng.choice(LAWFUL_ADS)
    else:
        s = rng.choice(GENERAL)
    if rng.random() < 0.05:
        # Some pages (Hong Kong, Taiwan, evasive posters) are written in traditional characters.
        s = _traditional()[s]
    if violating and rng.random() < 0.2:
        s = _split_term(s, rng)
    if rng.random() < 0.01 and len(s) > 6:
        # OCR and copy-paste break lines in the middle of a sentence.
        cut = rng.randrange(2, len(s) - 2)
        s = s[:cut] + "\n" + s[cut:]
    return s


def paragraphs(seed: int = 20240315, violation_rate: float = 0.10) -> Iterator[str]:
    """An endless, deterministic stream of paragraphs (2-8 sentences, each ending with a line break)."""
    rng = random.Random(seed)
    while True:
        n = rng.randint(2, 8)
        body = "".join(_sentence(rng, violation_rate) for _ in range(n))
        yield body + ("\r\n" if rng.random() < 0.1 else "\n")


def corpus(chars: int, seed: int = 20240315, violation_rate: float = 0.10) -> str:
    """At least ``chars`` characters of mixed ad text (whole paragraphs, so slightly more)."""
    parts: list[str] = []
    total = 0
    for para in paragraphs(seed, violation_rate):
        parts.append(para)
        total += len(para)
        if total >= chars:
            break
    return "".join(parts)


def write_corpus(path: str, nbytes: int, seed: int = 20240316, violation_rate: float = 0.10) -> int:
    """Write at least ``nbytes`` bytes of UTF-8 mixed ad text to ``path``, a block at a time; return the size."""
    written = 0
    block: list[str] = []
    block_chars = 0
    with open(path, "wb") as fh:
        for para in paragraphs(seed, violation_rate):
            block.append(para)
            block_chars += len(para)
            if block_chars >= 1 << 18:
                data = "".join(block).encode("utf-8")
                fh.write(data)
                written += len(data)
                block, block_chars = [], 0
                if written >= nbytes:
                    break
    return written
