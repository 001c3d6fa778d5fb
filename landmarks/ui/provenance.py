"""The 数据来源与说明 panel shared by the pages: how to read the data, its date, sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from landmarks import i18n
from landmarks.data.chains import CHAINS
from landmarks.data.model import CONFIDENCE_LABELS, SOURCE_QUALITY_LABELS
from landmarks.data.region import current_region
from landmarks.i18n import t
from landmarks.query import provenance
from landmarks.ui.markdown import md


def _sources_table(frame: pd.DataFrame, key: str) -> None:
    links = "链接" if "链接" in frame.columns else t("链接")  # not UI: the table's header
    st.dataframe(
        frame,
        column_config={links: st.column_config.LinkColumn(display_text=t("打开"))},
        hide_index=True,
        height=260,
        key=key,
    )


def _shipped_data_note() -> str:
    """How to read Hubei's shipped research data (the seed)."""
    return t(
        "本应用内置的数据整理自公开报道（湖北日报、荆楚网、长江云、人民网、新华网等）"
        "和特产汇编网站，以及湖北省知识产权局《2026年全省知识产权工作要点》。"
        "每条记录都带有可信度和来源类型，请以官方公告为准。\n\n"
        "- **可信度**：{confidence}"
        "——高：主流媒体且各来源一致；中：单一来源或汇编网站；低：乱码或间接来源。\n"
        "- **来源类型**：{source_types}。"
        "转载页的链接指向无关网站，不予展示。\n"
        "- **位置**：多数来源只给出县级产地，地图上的点是县域内的示意位置，"
        "不是具体地点；来源只给出市州或跨县范围的产品只标到市州，不计入任何县。\n"
        "- **获批年份**：部分产品的来源未给出年份，列为“年份不详”。\n"
        "- **产业链归属**：按《产业链说明》提出的品类规则推定，并非官方分类；"
        "“{chain}”为第十条链的推测名称，尚待核实。\n"
        "- **产值**：全省仅有公开的概数；县级产值未见公开数据，"
        "任何县级产值在导入真实数据前均为示例数据，并标注“示例数据”。",
        confidence=i18n.names([t(label) for label in CONFIDENCE_LABELS.values()]),
        source_types=i18n.names([t(label) for label in SOURCE_QUALITY_LABELS.values()]),
        chain=t(CHAINS[-2].name),
    )


def _imported_data_note() -> str:
    """A region without shipped data: everything shown is what its users imported."""
    return t(
        "本应用没有内置{region}的数据：这里显示的产品、示范区、文旅站点和产值都是用户在"
        "「数据管理」页导入的，来源和可信度以导入文件所填为准，请以官方公告为准。\n\n"
        "- **可信度**：{confidence}。\n"
        "- **来源类型**：{source_types}。\n"
        "- **位置**：只填了县级产地的产品，地图上的点是县域内的示意位置，不是具体地点。\n"
        "- **产值**：县级产值在导入真实数据前均为示例数据，并标注“示例数据”。",
        region=current_region().place_name(),
        confidence=i18n.names([t(label) for label in CONFIDENCE_LABELS.values()]),
        source_types=i18n.names([t(label) for label in SOURCE_QUALITY_LABELS.values()]),
    )


def provenance_note(sources: pd.DataFrame, updated_at: str, *, key: str = "provenance") -> None:
    """The data's sources and date, drawn only while the panel is open: its sources table
    would load Streamlit's table code (about 1.5 MB of script) on every page's first
    view, competing with the map for the browser's main thread."""
    with st.expander(
        t("数据来源与说明"), icon=":material/info:", key=f"{key}_open", on_change="rerun"
    ) as panel:
        if not panel.open:
            return
        st.markdown(_shipped_data_note() if current_region().has_seed else _imported_data_note())
        st.caption(
            t(
                "数据更新时间：{time}",
                time=md(provenance.data_time_text(sources, updated_at)),
            )
        )
        _sources_table(provenance.sources_for_users(sources), f"{key}_sources")
        if st.toggle(
            t("维护说明：显示来源编号和摘录"),
            key=f"{key}_maintainers",
            help=t("供数据维护人员核对：资料整理时的来源编号和摘录，可能含英文备注。"),
        ):
            _sources_table(provenance.sources_for_maintainers(sources), f"{key}_maintainer_sources")
