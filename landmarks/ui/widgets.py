"""Page furniture shared by several pages: the map component and provenance notes."""

from __future__ import annotations

from typing import Any

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from landmarks.data.chains import CHAINS
from landmarks.data.model import CONFIDENCE_LABELS, SOURCE_QUALITY_LABELS

MAP_HEIGHT = 640


def show_map(
    fmap: folium.Map,
    layers: list[folium.FeatureGroup],
    *,
    key: str,
    returned_objects: list[str] | None = None,
    height: int = MAP_HEIGHT,
) -> dict[str, Any]:
    """Render with the data layers swapped in place; only ``returned_objects`` rerun."""
    return st_folium(
        fmap,
        key=key,
        feature_group_to_add=layers,
        returned_objects=returned_objects or [],
        height=height,
        use_container_width=True,
        # st_folium renders the map itself right after; rendering the whole figure first
        # as well doubles the cost (seconds at national scale) for identical output.
        render=False,
    )


def provenance_note(sources: pd.DataFrame, updated_at: str) -> None:
    with st.expander("数据来源与说明", icon=":material/info:"):
        st.markdown(
            "本应用内置的数据整理自公开报道（湖北日报、荆楚网、长江云、人民网、新华网等）"
            "和特产目录网站，以及湖北省知识产权局《2026年全省知识产权工作要点》。"
            "每条记录都带有可信度和来源类型，请以官方公告为准。\n\n"
            f"- **可信度**：{'、'.join(f'{v}（{k}）' for k, v in CONFIDENCE_LABELS.items())}"
            "——高：主流媒体且各来源一致；中：单一来源或目录网站；低：乱码或间接来源。\n"
            f"- **来源类型**：{'、'.join(SOURCE_QUALITY_LABELS.values())}。"
            "转载页的链接指向无关网站，不予展示。\n"
            "- **位置**：多数来源只给出县级产地，地图上的点是县域内的示意位置，"
            "不是具体地点；三个跨县产品只标到市州。\n"
            "- **产业链归属**：按《产业链说明》提出的品类规则推定，并非官方分类；"
            f"“{CHAINS[-2].name}”为第十条链的推测名称，尚待核实。\n"
            "- **产值**：全省仅有公开的概数；县级产值未见公开数据，"
            "任何县级产值在导入真实数据前均为示例数据，并标注“示例数据”。"
        )
        if updated_at:
            st.caption(f"数据更新时间（UTC）：{updated_at}")
        linkable = sources[sources["url"] != ""]
        st.dataframe(
            linkable.rename(
                columns={
                    "source_id": "编号",
                    "url": "链接",
                    "source_quality": "来源类型",
                    "facts": "摘录的事实",
                }
            ),
            column_config={"链接": st.column_config.LinkColumn()},
            hide_index=True,
            height=260,
        )
