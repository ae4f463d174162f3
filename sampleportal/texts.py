"""Fictional names and plausible Chinese gov wording for titles and bodies."""

from __future__ import annotations

import random

COUNTY = "瑞河县"
SITE_NAME = "瑞河县人民政府门户网站"

TOPICS = (
    "防汛抗旱", "安全生产", "乡村振兴", "营商环境", "森林防火", "河长制", "耕地保护",
    "秋冬季疫病防控", "燃气安全", "农村人居环境整治", "义务教育均衡发展", "食品安全",
    "校园安全", "高标准农田建设", "城乡医保征缴", "就业帮扶", "文明城市创建", "信访维稳",
)
DYNAMICS_FORMS = (
    "{unit}召开{topic}工作推进会",
    "{unit}开展{topic}专项检查行动",
    "{unit}组织学习{topic}相关政策并部署下一阶段重点任务",
    "{unit}赴基层调研{topic}工作",
    "{unit}扎实推进{topic}各项工作取得阶段性成效",
    "{unit}举办{topic}业务培训班",
)
NOTICE_FORMS = (
    "关于开展{topic}工作的通知",
    "关于做好{year}年{topic}有关事项的通知",
    "关于{topic}项目的公示",
    "{unit}关于进一步加强{topic}管理工作的通告",
)
POLICY_FORMS = (
    "{county}{topic}实施方案",
    "关于印发《{county}{topic}工作办法》的通知",
    "《{county}{topic}三年行动计划》政策解读",
)
FIXED_FORMS = {
    "duties": ("{unit}主要职责", "{unit}领导信息", "{unit}内设机构"),
    "guide": ("{unit}政府信息公开指南", "{unit}依申请公开办理流程"),
    "disclosure": ("{unit}{year}年部门预算公开", "{unit}{topic}资金使用情况公开"),
}
PARAGRAPHS = (
    "为深入贯彻落实上级有关决策部署，进一步压实工作责任，近日，{unit}召开专题会议，"
    "对{topic}工作进行再研究、再部署。",
    "会议指出，要坚持问题导向，聚焦群众急难愁盼问题，细化工作措施，确保各项任务落地见效。",
    "会议要求，各股室要加强协调配合，建立工作台账，实行销号管理，按时报送工作进展情况。",
    "下一步，{unit}将持续跟踪问效，及时总结推广好经验好做法，推动{topic}工作再上新台阶。",
)


def title_for(rng: random.Random, category: str, unit: str, year: int) -> str:
    topic = rng.choice(TOPICS)
    if category == "dynamics":
        form = rng.choice(DYNAMICS_FORMS)
    elif category == "notice":
        form = rng.choice(NOTICE_FORMS)
    elif category == "policy":
        form = rng.choice(POLICY_FORMS)
    elif category == "report":
        return f"{unit}{year - 1}年政府信息公开工作年度报告"
    else:
        form = rng.choice(FIXED_FORMS.get(category, FIXED_FORMS["disclosure"]))
    return form.format(unit=unit, topic=topic, year=year, county=COUNTY)


def body_paragraphs(unit: str, title: str) -> list[str]:
    # The topic is recovered from the title so that a body stays stable for a post.
    topic = next((topic for topic in TOPICS if topic in title), "重点")
    return [paragraph.format(unit=unit, topic=topic) for paragraph in PARAGRAPHS]
