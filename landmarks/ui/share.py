"""分享与打印: QR codes, posters, one-page briefs and the offline map, as Streamlit panels.

Every file is made only when its download button is clicked (deferred ``data``, buttons
with ``on_click="ignore"``, so a click does not rerun the page).  Links point at the
base URL of ``share.choose_base``: ``$LANDMARKS_PUBLIC_URL``, else ``public_url`` in the
secrets, else the host the page was opened on; a base only this machine can open is
said so next to the code.

The panels take what the page has already computed (tables, the filtered products, the
filter, the selection and the map's frame); ``view_panel`` lays them out in tabs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from landmarks import i18n
from landmarks.data import times
from landmarks.data.chains import grouping_label
from landmarks.data.region import has_chain_vocabulary
from landmarks.data.regions import Regions
from landmarks.i18n import N_, t
from landmarks.maps import offline, qr
from landmarks.maps import paper as printing
from landmarks.query import briefs, provenance, share, stats
from landmarks.query.filters import ProductFilter
from landmarks.query.frame import Bounds
from landmarks.query.selection import Selection
from landmarks.ui import public_address
from landmarks.ui import region as region_ui
from landmarks.ui.data import Tables
from landmarks.ui.downloads import in_language
from landmarks.ui.markdown import link, md

POSTER_SIZE = "share_poster_size"
POSTER_ORIENTATION = "share_poster_orientation"
POSTER_TYPE = "share_poster_type"
BRIEF_KIND = "share_brief_kind"
BRIEF_SUBJECT = "share_brief_subject"
QR_IMAGE_WIDTH = 220
# What the links of QR codes, posters, briefs and offline maps open: the light public
# page (``maps/public_page``, for crowds of phones) unless the presenter asks for the app.
LINK_TARGET = "share_link_target"
TARGET_PUBLIC = "public"
TARGET_APP = "app"
LINK_TARGETS = {TARGET_PUBLIC: N_("公开页（推荐，手机快）"), TARGET_APP: N_("完整应用（工作人员）")}


@dataclass(frozen=True)
class View:
    """The explorer's view as the page has it."""

    product_filter: ProductFilter
    chosen: Selection
    shown: pd.DataFrame  # the filtered products
    frame: Bounds | None = None
    area: tuple[str, ...] = ()


def base_url() -> share.BaseUrl | None:
    """Where links point (None until the page's own URL is known); a malformed
    configured base is reported and the request's host used instead."""
    base, problem = public_address.base()
    if problem:
        st.warning(
            t("分享地址设置有误，已改用当前访问地址：{error}", error=md(problem)),
            icon=":material/link_off:",
        )
    return base


def _default_base() -> share.BaseUrl | None:
    """Where links point when the presenter chose no address (no warning drawn)."""
    return public_address.base(chosen=False)[0]


def _base_notice(base: share.BaseUrl | None) -> None:
    """Next to every output that carries a link: when a phone cannot open it, say so."""
    if base is not None and base.notice:
        st.caption(f":orange[{md(base.notice)}]")


def links_to_public_page() -> bool:
    """Whether links open the public page (the default) rather than the app."""
    return bool(st.session_state.get(LINK_TARGET, TARGET_PUBLIC) != TARGET_APP)


def link_target_picker() -> None:
    """The presenter's choice of what the codes and printed links open."""
    st.radio(
        t("二维码打开"),
        list(LINK_TARGETS),
        format_func=lambda target: t(LINK_TARGETS[target]),
        key=LINK_TARGET,
        horizontal=True,
        help=t(
            "公开页只读、打开快，适合观众用手机扫码；完整应用可筛选、编辑，适合工作人员。"
            "公开页也有打开完整应用的链接。"
        ),
    )


def view_link(base: str, product_filter: ProductFilter, chosen: Selection) -> str:
    """The link of a view: on the public page unless the presenter chose the app."""
    if links_to_public_page():
        return share.public_url(base, product_filter, chosen)
    return share.explorer_url(base, product_filter, chosen)


def qr_block(url: str, caption: str, key: str) -> None:
    """A QR code of ``url`` with its link and PNG/SVG downloads; the link alone when it
    is too long for a QR code (a very long product name)."""
    try:
        image = qr.png(url)
    except qr.TooLongError:
        st.info(t("链接太长，超出二维码的容量，无法生成二维码；请复制下面的链接分享。"))
        st.caption(link(url, url))
        return
    st.image(image, width=QR_IMAGE_WIDTH, caption=md(caption))
    st.caption(link(url, url))
    png_column, svg_column = st.columns(2)
    png_column.download_button(
        t("下载 PNG"),
        data=in_language(qr.png, url, 16),
        file_name=t("{name}_二维码.png", name=caption),
        mime="image/png",
        key=f"{key}_png",
        icon=":material/qr_code_2:",
        on_click="ignore",
        width="stretch",
    )
    svg_column.download_button(
        t("下载 SVG"),
        data=in_language(qr.svg, url, 8, caption),
        file_name=t("{name}_二维码.svg", name=caption),
        mime="image/svg+xml",
        key=f"{key}_svg",
        icon=":material/qr_code_2:",
        on_click="ignore",
        width="stretch",
    )


def view_qr(view: View) -> None:
    """The QR code of the current view (filters and selection)."""
    base = base_url()
    if base is None:
        st.caption(t("正在读取页面地址，请稍候或刷新页面。"))
        return
    qr_block(view_link(base.url, view.product_filter, view.chosen), t("当前视图"), "share_view")
    _base_notice(base)


def product_qr(product: str, *, key: str = "share_product") -> None:
    """The QR code of a product's card (for the product card, e.g. in a popover)."""
    base = base_url()
    if base is not None:
        url = (
            share.public_product_url(base.url, product)
            if links_to_public_page()
            else share.product_url(base.url, product)
        )
        qr_block(url, i18n.name(product), key)
        _base_notice(base)


def site_qr(site: str, *, key: str = "share_site") -> None:
    """The QR code of a site's card on 示范区与文旅."""
    base = base_url()
    if base is not None:
        qr_block(share.site_url(base.url, site), i18n.name(site), key)
        _base_notice(base)


def _dates(data: Tables) -> str:
    return provenance.data_time_text(data.sources, data.updated_at)


def _poster_text(data: Tables, regions: Regions, view: View, link: str) -> printing.PosterText:
    county = ""
    if view.chosen.county and not view.chosen.product:
        county = regions.county_by_adcode(view.chosen.county).name
    figures = stats.result_figures(view.shown, data.products, data.zones)
    return printing.PosterText(
        title=share.poster_title(region_ui.app_title(), view.product_filter, regions),
        subtitle=share.view_subtitle(view.product_filter, regions, view.chosen.product, county),
        source_line=share.source_line(data.sources),
        data_date=_dates(data),
        generated_at=times.beijing_now(),
        link=link,
        figures=share.figure_lines(figures),
    )


def _poster_file(
    data: Tables, regions: Regions, view: View, link: str, paper: printing.Paper, file_type: str
) -> bytes:
    shown = printing.MapView(
        view.shown,
        frame=view.frame,
        area=view.area,
        selected_county=view.chosen.county,
        zone_counties=stats.national_zones_by_county(data.zones),
    )
    text = _poster_text(data, regions, view, link)
    from landmarks.maps import poster  # matplotlib: loaded when a poster is asked for

    return poster.poster(regions, shown, text, paper, file_type)


def poster_panel(data: Tables, regions: Regions, view: View) -> None:
    """Paper size, orientation and file type, and the poster's download button."""
    sizes, orientations = list(printing.PAPER_MM), list(printing.ORIENTATIONS)
    size_column, orientation_column, type_column = st.columns(3)
    size = size_column.radio(t("纸张"), sizes, index=sizes.index(printing.A3), key=POSTER_SIZE)
    orientation = orientation_column.radio(
        t("方向"),
        orientations,
        format_func=lambda orientation: t(printing.ORIENTATIONS[orientation]),
        key=POSTER_ORIENTATION,
    )
    file_type = type_column.radio(
        t("文件"),
        list(printing.FORMATS),
        format_func=lambda kind: t(printing.FORMATS[kind]),
        key=POSTER_TYPE,
    )
    paper = printing.Paper(str(size), str(orientation))
    st.caption(
        t(
            "海报含标题、当前筛选、地图（按产业链着色）、图例、比例尺、指北针、数据来源和生成时间，"
            "并附当前视图的二维码。PNG 为 300 dpi，PDF 为矢量文件，均可直接打印。"
        )
    )
    base = base_url()
    link = view_link(base.url, view.product_filter, view.chosen) if base else ""
    title = share.poster_title(region_ui.app_title(), view.product_filter, regions)
    st.download_button(
        t("生成并下载海报（{paper}）", paper=paper.label),
        data=in_language(_poster_file, data, regions, view, link, paper, str(file_type)),
        file_name=printing.file_name(title, paper, str(file_type)),
        mime=printing.MIME[str(file_type)],
        key="share_poster_download",
        icon=":material/print:",
        on_click="ignore",
        type="primary",
        disabled=view.shown.empty,
    )
    if view.shown.empty:
        st.caption(t("当前筛选没有产品，无法生成海报。"))
    _base_notice(base)


def _brief_file(
    data: Tables, regions: Regions, kind: str, key: str, link_base: str, public: bool = True
) -> bytes:
    brief = briefs.make_brief(
        kind,
        key,
        products=data.products,
        zones=data.zones,
        sites=data.sites,
        outputs=data.outputs,
        registrations=data.registrations,
        regions=regions,
    )
    link = ""
    if link_base and public:
        link = share.public_url(link_base, brief.product_filter, Selection())
    elif link_base:
        link = share.explorer_url(link_base, brief.product_filter, Selection())
    text = printing.PosterText(
        title=brief.title,
        subtitle=t("{title} · 简报", title=region_ui.app_title()),
        source_line=share.source_line(data.sources),
        data_date=_dates(data),
        generated_at=times.beijing_now(),
        link=link,
    )
    from landmarks.maps import brief as brief_map  # matplotlib, as for posters

    return brief_map.brief_pdf(
        brief, regions, zone_counties=stats.national_zones_by_county(data.zones), text=text
    )


def _kind_label(kind: str, regions: Regions) -> str:
    """按市州 / 按产业链, or 按品类 where the region groups by category."""
    if kind == briefs.CHAIN and not has_chain_vocabulary(regions.region):
        return t("按品类")
    return t(briefs.KINDS[kind])


def brief_panel(data: Tables, regions: Regions) -> None:
    """A prefecture's or a chain's one-page PDF brief."""
    kinds = list(briefs.KINDS)
    kind = str(
        st.radio(
            t("简报对象"),
            kinds,
            format_func=lambda kind: _kind_label(kind, regions),
            key=BRIEF_KIND,
            horizontal=True,
        )
    )
    options = briefs.subjects(data.products, regions, kind)
    if not options:
        st.caption(t("暂无可生成简报的数据。"))
        return
    subject = st.selectbox(
        t("市州") if kind == briefs.PREFECTURE else t(grouping_label(regions.region)),
        list(options),
        format_func=options.__getitem__,
        key=f"{BRIEF_SUBJECT}_{kind}",
    )
    st.caption(
        t(
            "一页 A4：地图、地理标志产品名单、示范区、地标+文旅站点、来源公布的产值（注明口径），"
            "附打开完整名单的二维码。"
        )
    )
    base = base_url()
    with i18n.language(i18n.CHINESE):  # the title is made from the subject's own name
        names = briefs.subjects(data.products, regions, kind)
    title = briefs.brief_title(kind, names[str(subject)], regions.region)
    st.download_button(
        t("生成并下载简报：{subject}", subject=options[str(subject)]),
        data=in_language(
            _brief_file,
            data,
            regions,
            kind,
            str(subject),
            base.url if base else "",
            links_to_public_page(),
        ),
        file_name=f"{title}.pdf",
        mime=printing.MIME[printing.PDF],
        key="share_brief_download",
        icon=":material/description:",
        on_click="ignore",
        type="primary",
    )
    _base_notice(base)


def _offline_file(data: Tables, regions: Regions, view: View, link: str) -> bytes:
    figures = stats.result_figures(view.shown, data.products, data.zones)
    notes = (
        f"{share.figure_lines(figures)[0]}",
        share.source_line(data.sources),
        t("数据更新时间：{time}", time=_dates(data)),
        times.generated_text(),
        t("在线版：{link}", link=link) if link else "",
    )
    county = ""
    if view.chosen.county and not view.chosen.product:
        county = regions.county_by_adcode(view.chosen.county).name
    text = offline.OfflineText(
        title=region_ui.app_title(),
        subtitle=share.view_subtitle(view.product_filter, regions, view.chosen.product, county),
        notes=notes,
    )
    return offline.offline_html(
        regions,
        view.shown,
        data.sites,
        text,
        zones=stats.national_zones_by_county(data.zones),
        frame=view.frame,
        selected_county=view.chosen.county,
        selected_area=view.area,
    )


def offline_panel(data: Tables, regions: Regions, view: View) -> None:
    """The current map as one HTML file that opens with no server and no internet (its
    notes carry the online view's link)."""
    base = base_url()
    link = view_link(base.url, view.product_filter, view.chosen) if base else ""
    st.caption(
        t(
            "下载一个独立的 HTML 文件：地图、当前筛选的产品、站点和图例都在文件里，"
            "拷到 U 盘后用浏览器直接打开即可，无需联网、无需服务器。"
        )
    )
    st.download_button(
        t("生成并下载离线地图"),
        data=in_language(_offline_file, data, regions, view, link),
        file_name=offline.file_name(
            printing.safe_file_stem(
                share.poster_title(region_ui.app_title(), view.product_filter, regions)
            )
        ),
        mime="text/html",
        key="share_offline_download",
        icon=":material/offline_pin:",
        on_click="ignore",
        type="primary",
    )
    _base_notice(base)


def view_panel(data: Tables, regions: Regions, view: View) -> None:
    """The address links point at, then the four panels in tabs."""
    public_address.picker(_default_base())
    link_target_picker()
    qr_tab, poster_tab, brief_tab, offline_tab = st.tabs(
        [t("二维码"), t("打印海报"), t("市州／产业链简报"), t("离线地图")]
    )
    with qr_tab:
        view_qr(view)
    with poster_tab:
        poster_panel(data, regions, view)
    with brief_tab:
        brief_panel(data, regions)
    with offline_tab:
        offline_panel(data, regions, view)
