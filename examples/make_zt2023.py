#!/usr/bin/env python3
"""Write examples/zt2023.csv: the example campaign, shaped like the real one.

主题教育检视问题整改, 80 days from 2023-05-08: 17 leadership-group problems
(班子问题) and 39 individual problems (个人问题), 310 measures, every one done
on or before its deadline, every problem closed out (销号归零).

The output is deterministic (fixed UUIDs, no randomness), so the shipped CSV
can be regenerated and diffed. It is in `rectify export` format: Chinese
headers, UTF-8 with BOM, CRLF.
"""
import csv
import datetime as dt
import hashlib
import io
import pathlib
import uuid

START = dt.date(2023, 5, 8)
DAYS = 80
END = START + dt.timedelta(days=DAYS - 1)
NS = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")

DEPTS = ["办公室", "组织人事科", "宣传科", "纪检监察室", "财务科", "政策法规科", "业务一科", "业务二科", "信访科"]
LEADERS = ["王建国", "李卫东", "张红梅", "刘志强", "陈晓燕"]
OWNERS = ["赵磊", "孙丽", "周涛", "吴敏", "郑凯", "冯雪", "何静", "许亮", "韩冰", "曹阳", "邓慧", "彭程"]
SOURCES = ["征求意见", "走流程", "巡察反馈", "信访举报", "检视剖析", "调研发现"]

GROUP = [
    ("理论学习中心组学习深度不够，学用结合不紧", "对理论学习重要性认识不足，学习制度执行不严"),
    ("调查研究不够深入，解决实际问题成效不明显", "调研计划性不强，调研成果转化机制不健全"),
    ("落实全面从严治党主体责任压力传导不到位", "“一岗双责”落实不到位，层层传导存在递减"),
    ("服务群众“最后一公里”打通不够", "服务意识不强，便民措施落地跟踪不够"),
    ("干部队伍建设统筹谋划不够", "干部培养、选拔、管理链条衔接不紧"),
    ("议事决策程序执行不够规范", "“三重一大”事项报告、记录不完整"),
    ("基层党组织标准化建设推进不平衡", "对支部工作指导督促不够"),
    ("意识形态工作责任制落实不够有力", "阵地管理和舆情研判机制不完善"),
    ("作风建设常态长效机制不健全", "整治“四风”重集中整治、轻日常监督"),
    ("重点工作督查督办闭环管理不严", "督办事项跟踪问效不及时"),
    ("财务和资产管理制度执行有偏差", "内控制度更新滞后，审核把关不严"),
    ("政策文件清理和合法性审查滞后", "法规审查力量不足，清理机制不健全"),
    ("信访问题源头化解力度不够", "矛盾排查不及时，首办责任落实不到位"),
    ("巡察反馈问题整改成果巩固不够", "整改后评估和回头看机制缺失"),
    ("会议文件多、基层负担重问题仍然存在", "精文减会要求执行不严"),
    ("年轻干部教育管理监督存在薄弱环节", "针对性教育和日常谈心谈话不够"),
    ("数字化办公和信息共享水平不高", "系统建设分散，数据标准不统一"),
]

INDIVIDUAL = [
    ("学习不够系统，存在以干代学现象", "学习的自觉性和紧迫感不强"),
    ("深入基层调研次数偏少，掌握一线情况不全面", "忙于事务性工作，调研时间保障不够"),
    ("担当作为不够，遇到矛盾有畏难情绪", "攻坚克难的意识和能力不足"),
    ("联系服务群众不够经常", "群众观念有所淡化"),
    ("批评与自我批评开展不够，辣味不足", "存在好人主义思想"),
    ("落实“一岗双责”不够到位，对分管领域监督偏软", "管党治党意识有待加强"),
    ("工作标准不高，满足于完成任务", "创先争优意识不强"),
    ("业务知识更新不及时，专业能力有短板", "主动学习新知识新技能不够"),
    ("执行请示报告制度不够严格", "规矩意识有所松懈"),
    ("统筹协调能力不足，跨部门事项推进慢", "沟通协调机制运用不充分"),
    ("艰苦奋斗意识有所淡化", "对新时代艰苦奋斗精神认识不深"),
    ("抓工作落实跟踪问效不够", "重部署、轻督促的惯性思维"),
    ("创新意识不强，工作方法比较传统", "思想解放不够，怕担风险"),
]

MEASURES = [
    "制定个人学习计划，每月专题学习不少于2次",
    "建立问题台账，明确整改时限，实行销号管理",
    "开展专题调研，形成高质量调研报告",
    "健全工作制度，完善考核评价办法",
    "开展警示教育，组织观看警示教育片",
    "召开专题组织生活会，深入开展批评与自我批评",
    "落实谈心谈话制度，每季度至少开展一次",
    "梳理权力运行流程，绘制廉政风险防控图",
    "建立定期督查通报机制，实行挂图作战",
    "完善便民服务措施，公开服务承诺",
    "组织业务培训，提升履职能力",
    "建立联系点制度，定期深入基层走访",
    "清理规范性文件，形成清理目录",
    "开展“回头看”，巩固整改成果",
    "精简会议文件，建立会议计划报备制度",
]


def uid(*parts):
    return str(uuid.uuid5(NS, "/".join(parts)))


def pick(seq, n):
    return seq[n % len(seq)]


def main():
    rows = []
    problems = [("班子", t, c) for t, c in GROUP]
    for i in range(39):
        t, c = INDIVIDUAL[i % len(INDIVIDUAL)]
        problems.append(("个人", t, c))
    # 17 x 6 + 13 x 6 + 26 x 5 = 310 measures.
    counts = [6] * 17 + [6] * 13 + [5] * 26
    seq = 0
    mseq = 0
    for pi, ((scope, title, cause), n) in enumerate(zip(problems, counts), start=1):
        raised = START + dt.timedelta(days=pi % 5)
        subject = "局领导班子" if scope == "班子" else pick(OWNERS, pi * 7) + "同志"
        dept = pick(DEPTS, pi)
        leader = pick(LEADERS, pi)
        source = pick(SOURCES, pi)
        pid = f"P{pi}"
        problem_closed = None
        members = []
        for k in range(n):
            mseq += 1
            h = int(hashlib.sha256(f"{pi}-{k}".encode()).hexdigest(), 16)
            # Deadlines from day 35 to day 80; done 0-20 days early, never after.
            due = START + dt.timedelta(days=34 + h % 46)
            done = due - dt.timedelta(days=(h >> 8) % 21)
            done = max(done, raised + dt.timedelta(days=3))
            problem_closed = max(problem_closed or done, done)
            members.append((mseq, k, due, done, h))
        for mseq_i, k, due, done, h in members:
            seq += 1
            measure = pick(MEASURES, pi * 3 + k)
            rows.append({
                "序号": seq, "所属专项": "ZT2023", "问题编号": pid, "问题来源": source,
                "问题类型": scope, "责任对象": subject, "问题描述": title, "原因分析": cause,
                "提出时间": raised.isoformat(), "措施编号": f"M{mseq_i}", "整改措施": measure,
                "责任领导": leader, "责任部门": pick(DEPTS, pi + (k % 3 == 2)),
                "责任人": pick(OWNERS, pi + k), "整改时限": due.isoformat(),
                "调整后时限": due.isoformat(), "整改进展": "", "状态": "已销号",
                "完成时间": done.isoformat(), "佐证材料": f"{pid}-{k + 1}佐证材料.pdf",
                "逾期天数": "", "备注": "", "问题UUID": uid("ZT2023", pid),
                "措施UUID": uid("ZT2023", pid, str(k)),
            })
    assert sum(1 for _ in rows) == 310, len(rows)
    headers = list(rows[0].keys())
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=headers, lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    out = pathlib.Path(__file__).with_name("zt2023.csv")
    out.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    print(f"wrote {out}: {len(problems)} problems, {len(rows)} measures")


if __name__ == "__main__":
    main()
