//! Deterministic ledger data for the benchmark: N measures, 5 per problem,
//! 20 departments, 200 owners, Chinese titles, 12 monthly campaigns in
//! 2023, 70% closed (a tenth of those late), the rest open and mostly
//! overdue on the benchmark's "today" (2024-01-15).
//!
//! Writes `<dir>/ledger.csv` (rectify's English headers; sqlite3 imports
//! the same file) and, with `--task`, `<dir>/tasks.json` for Taskwarrior.
//!
//!     cargo run --release --example bench-gen -- 100000 /tmp/bench [--task]

use std::io::{BufWriter, Write};

const DEPARTMENTS: [&str; 20] = [
    "办公室",
    "组织人事科",
    "财务科",
    "法规科",
    "审批科",
    "监督科",
    "规划科",
    "信息中心",
    "机关党委",
    "纪检组",
    "宣传科",
    "后勤服务中心",
    "安全科",
    "统计科",
    "发展科",
    "综合科",
    "档案室",
    "培训中心",
    "工会",
    "离退休干部科",
];
const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高",
];
const GIVEN: [&str; 10] = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋"];
const PROBLEMS: [&str; 8] = [
    "理论学习中心组学习深度不够，学用结合不紧",
    "调查研究不够深入，解决实际问题办法不多",
    "落实“过紧日子”要求不到位，公用经费支出偏高",
    "干部队伍年龄结构老化，后备干部储备不足",
    "基层党组织“三会一课”制度落实不严格",
    "为民服务意识不强，群众反映问题办理不及时",
    "形式主义问题仍然存在，文件会议多而不精",
    "廉政风险防控措施不够具体，监督检查流于形式",
];
const MEASURES: [&str; 10] = [
    "健全工作制度，完善考核评价办法",
    "开展警示教育，组织观看警示教育片",
    "制定专题学习计划，每月集中学习一次",
    "建立问题清单，逐项明确责任人和完成时限",
    "开展专项检查，形成检查报告",
    "修订内部管理制度，堵塞管理漏洞",
    "组织专题培训，提升业务能力",
    "建立定期回访机制，跟踪整改效果",
    "精简文件会议，严控发文数量",
    "完善廉政风险点排查，落实防控措施",
];

fn date(month: u32, day: u32) -> String {
    format!("2023-{month:02}-{day:02}")
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .expect("usage: bench-gen N DIR [--task]");
    let dir = std::path::PathBuf::from(args.get(2).expect("usage: bench-gen N DIR [--task]"));
    let with_tasks = args.iter().any(|a| a == "--task");
    std::fs::create_dir_all(&dir)?;
    let mut csv = BufWriter::new(std::fs::File::create(dir.join("ledger.csv"))?);
    let mut tasks = if with_tasks {
        let mut w = BufWriter::new(std::fs::File::create(dir.join("tasks.json"))?);
        writeln!(w, "[")?;
        Some(w)
    } else {
        None
    };
    writeln!(
        csv,
        "campaign,problem_id,problem,scope,measure,department,owner,raised_on,due_original,status,closed_on"
    )?;
    let problems = n.div_ceil(5);
    for i in 0..n {
        let p = i / 5 + 1;
        // Campaigns are months of 2023, each holding a twelfth of the
        // problems; a problem's measures stay in its campaign.
        let month = ((p - 1) * 12 / problems) as u32 + 1;
        let raised = date(month, 1);
        let due_day = (i % 28) as u32 + 1;
        let due = date(month, due_day);
        let dept = DEPARTMENTS[(i / 5) % 20];
        let owner_n = i % 200;
        let owner = format!(
            "{}{}{}",
            SURNAMES[owner_n % 20],
            GIVEN[owner_n / 20],
            owner_n
        );
        let problem = format!("{}（{p}）", PROBLEMS[p % 8]);
        let measure = format!("{}（{i}）", MEASURES[i % 10]);
        let scope = if p % 3 == 0 { "班子" } else { "个人" };
        // 70% closed: a tenth of them late, the rest on or before the due day.
        let (status, closed) = match i % 10 {
            0..=5 => ("已完成", date(month, due_day)),
            6 => {
                let late_month = (month + 1).min(12);
                ("已完成", date(late_month, due_day))
            }
            _ => ("正在整改", String::new()),
        };
        writeln!(
            csv,
            "C{month:02},P{p},{problem},{scope},{measure},{dept},{owner},{raised},{due},{status},{closed}"
        )?;
        if let Some(w) = tasks.as_mut() {
            let done = !closed.is_empty();
            let sep = if i + 1 == n { "" } else { "," };
            // Taskwarrior's import format; entry/due/end in its basic ISO form.
            let stamp = |d: &str| format!("{}T000000Z", d.replace('-', ""));
            let end = if done {
                format!(",\"end\":\"{}\"", stamp(&closed))
            } else {
                String::new()
            };
            writeln!(
                w,
                "{{\"uuid\":\"{:08x}-0000-4000-8000-{:012x}\",\"description\":\"{measure}\",\"project\":\"C{month:02}\",\"status\":\"{}\",\"entry\":\"{}\",\"due\":\"{}\"{end},\"tags\":[\"{}\"]}}{sep}",
                i,
                i,
                if done { "completed" } else { "pending" },
                stamp(&raised),
                stamp(&due),
                dept,
            )?;
        }
    }
    csv.flush()?;
    if let Some(mut w) = tasks {
        writeln!(w, "]")?;
        w.flush()?;
    }
    Ok(())
}
