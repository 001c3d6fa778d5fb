"""The 数据来源与说明 panel shared by the pages: how to read the data, its date, sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from landmarks.data.chains import CHAINS
from landmarks.data.model import CONFIDENCE_LABELS, SOURCE_QUALITY_LABELS
from landmarks.query import provenance
from landmarks.ui.markdown import md


def provenance_note(sources: pd.DataFrame, updated_at: str, *, key: str = "provenance") -> None:
    with st.expander("数据来源与说明", icon=":material/info:"):
        st.markdown(
            "本应用内置的数据整理自公开报道（湖北日报、荆楚网、长江云、人民网、新华网等）"
            "和特产汇编网站，以及湖北省知识产权局《2026年全省知识产权工作要点》。"
            "每条记录都带有可信度和来源类型，请以官方公告为准。\n\n"
            f"- **可信度**：{'、'.join(CONFIDENCE_LABELS.values())}"
            "——高：主流媒体且各来源一致；中：单一来源或汇编网站；低：乱码或间接来源。\n"
            f"- **来源类型**：{'、'.join(SOURCE_QUALITY_LABELS.values())}。"
            "转载页的链接指向无关网站，不予展示。\n"
            "- **位置**：多数来源只给出县级产地，地图上的点是县域内的示意位置，"
            "不是具体地点；来源只给出市州或跨县范围的产品只标到市州，不计入任何县。\n"
            "- **获批年份**：部分产品的来源未给出年份，列为“年份不详”。\n"
            "- **产业链归属**：按《产业链说明》提出的品类规则推定，并非官方分类；"
            f"“{CHAINS[-2].name}”为第十条链的推测名称，尚待核实。\n"
            "- **产值**：全省仅有公开的概数；县级产值未见公开数据，"
            "任何县级产值在导入真实数据前均为示例数据，并标注“示例数据”。"
        )
        st.caption(f"数据更新时间：{md(provenance.data_time_text(sources, updated_at))}")
        st.dataframe(
            provenance.sources_for_users(sources),
            column_config={"链接": st.column_config.LinkColumn(display_text="打开")},
            hide_index=True,
            height=260,
            key=f"{key}_sources",
        )
        if st.toggle(
            "维护说明：显示来源编号和摘录",
            key=f"{key}_maintainers",
            help="供数据维护人员核对：资料整理时的来源编号和摘录，可能含英文备注。",
        ):
            st.dataframe(
                provenance.sources_for_maintainers(sources),
                column_config={"链接": st.column_config.LinkColumn(display_text="打开")},
                hide_index=True,
                height=260,
                key=f"{key}_maintainer_sources",
            )
