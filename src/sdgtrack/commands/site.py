"""`sdgtrack site build|serve`: the reporting website as static files, and a local server for it."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import List, Optional

import typer

from ..vocabulary import LANGUAGES
from ._common import DbOption, console, open_db


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="The reporting website: build it from the store as static files, serve a built one.", no_args_is_help=True
    )
    app.add_typer(group, name="site")

    @group.command("build")
    def build(
        out: Path = typer.Argument(
            ...,
            help="Folder to write the site into: new, empty, or built before "
            "(then only the files whose inputs changed are rewritten).",
        ),
        lang: str = typer.Option("en", "--lang", help=f"Languages, comma-separated (shipped: {', '.join(LANGUAGES)})."),
        title: Optional[str] = typer.Option(
            None, "--title", help="Site title (default: 'SDG data for' and the site's area)."
        ),
        base_url: str = typer.Option("/", "--base-url", help="URL path the site is served under."),
        dataset: Optional[List[str]] = typer.Option(
            None, "--dataset", help="Only these datasets, in this order of preference (repeat; default: every dataset)."
        ),
        boundaries: Optional[Path] = typer.Option(
            None,
            "--boundaries",
            help="GeoJSON of sub-national areas for the maps (features naming the store's area codes).",
        ),
        area: Optional[str] = AreaOption,
        all_areas: bool = AllAreasOption,
        db: Optional[Path] = DbOption,
    ) -> None:
        """Build the site into OUT: pages and data files in each language (layout: docs/site.md)."""
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from ..errors import SdgtrackError, fault_message
        from ..publish.build import build_site, is_site

        with (
            open_db(db, read_only=True) as workspace,
            Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=console,
                transient=True,
                disable=not console.is_terminal,
            ) as bar,
        ):
            options = site_options(workspace, lang, title, area, all_areas, dataset, base_url=base_url)
            options = replace(options, boundaries=boundaries)
            task = bar.add_task("writing", total=None)
            had_site = is_site(out)
            try:
                report = build_site(
                    workspace,
                    out,
                    options,
                    progress=lambda done, total, path: bar.update(task, completed=done, total=total),
                )
            except SdgtrackError:
                raise  # refused before anything was written: the message says what to change
            except Exception as exc:  # noqa: BLE001 - one message, and what became of the folder
                if os.environ.get("SDGTRACK_DEBUG"):
                    raise
                message, status = fault_message(exc)
                left = f"the last build in {out} is as it was" if had_site else f"no site was written to {out}"
                Console(stderr=True, soft_wrap=True).print(
                    f"error: site build stopped: {message}; {left}", highlight=False, markup=False
                )
                raise typer.Exit(status) from None
        console.print(report.summary(), highlight=False)
        console.print(f"site area: {report.area}", highlight=False)

    @group.command("serve")
    def serve(
        out: Path = typer.Argument(..., help="A folder built by `sdgtrack site build`."),
        host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
        port: int = typer.Option(8000, min=0, max=65535, help="Port (0: any free one)."),
    ) -> None:
        """Serve a built site at http://HOST:PORT (static files; Ctrl-C stops)."""
        from ..publish.serve import make_server

        server = make_server(out, host, port)
        bound_host, bound_port = server.server_address[:2]
        console.print(f"serving {out} at http://{bound_host}:{bound_port}/ (Ctrl-C stops)", highlight=False)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            console.print("stopped", highlight=False)
        finally:
            server.server_close()


AreaOption = typer.Option(
    None,
    "--area",
    help="The site's country or area (M49, ISO code or name); default: the main area of the preferred "
    "national dataset. Its data, its sub-national areas' and the other datasets' figures for them are published.",
)
AllAreasOption = typer.Option(False, "--all-areas", help="Publish every area's data, not only the site's area.")


def site_options(
    workspace,
    lang: str,
    title: str | None,
    area: str | None,
    all_areas: bool,
    datasets: list[str] | None,
    base_url: str = "/",
):
    """The site's options from the command line, languages and area checked (one message each)."""
    from ..publish.site import SiteOptions

    if area:
        workspace.resolve_area(area)  # an unknown area is refused before anything is written
    return SiteOptions(
        langs=parse_langs(lang),
        title=title,
        base_url=base_url,
        datasets=tuple(datasets) if datasets else None,
        area=area,
        all_areas=all_areas,
    )


def parse_langs(text: str) -> tuple[str, ...]:
    """``en,fr`` -> ("en", "fr"); an unknown code is refused with the shipped ones."""
    from ..publish.site import check_langs

    return check_langs([part.strip() for part in text.split(",") if part.strip()])
