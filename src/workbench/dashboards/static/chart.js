// The dashboards' chart widget (workbench.dashboards.chart.PlotlyChart), an anywidget module.
//
// - plotly.js is the small "basic" bundle (scatter, bar, pie; workbench/charts/js/): a quarter of
//   the full bundle's size and a sixth of its start-up time. The dashboard server serves it, and
//   its download starts when the first chart's model arrives, before any view exists; elsewhere
//   (a dashboard notebook opened in JupyterLab) the kernel sends it.
// - Charts are drawn one at a time, those on screen first (in page order), and the browser
//   paints between two charts: the first chart shows without waiting for the ones below the fold.
//   Until drawn, a chart holds its figure's height, so the page does not jump.
// - A new figure from the kernel is drawn in place with Plotly.react (only what changed is
//   redrawn); `data-revision` on the widget's element then says which figure is on screen.

// anywidget imports this module once per chart, so what the charts of a page share lives on
// `window`: the promise of plotly.js (loaded once per page) and the queue of charts to draw.
const page = (window.workbenchCharts ||= { plotly: null, waiting: new Set(), pumping: false });

function baseUrl() {
  const config = document.getElementById("jupyter-config-data");
  try {
    return JSON.parse(config.textContent).baseUrl || "/";
  } catch {
    return "/";
  }
}

function addScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => (window.Plotly ? resolve(window.Plotly) : reject(new Error(`no Plotly in ${src}`)));
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(script);
  });
}

// Where the dashboard server does not serve the bundle (JupyterLab, another Voila), the kernel
// sends it: the same file, over the widget's own channel.
function fromKernel(model) {
  return new Promise((resolve, reject) => {
    const answer = (message, buffers) => {
      if (message.type !== "plotly.js") return;
      model.off("msg:custom", answer);
      const url = URL.createObjectURL(new Blob([buffers[0]], { type: "text/javascript" }));
      addScript(url).then(resolve, reject);
    };
    model.on("msg:custom", answer);
    model.send({ type: "plotly.js" });
  });
}

function loadPlotly(model) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!page.plotly) {
    page.plotly = addScript(baseUrl() + model.get("_plotly"))
      .catch(() => fromKernel(model))
      .catch((error) => {
        page.plotly = null;
        throw error;
      });
  }
  return page.plotly;
}

const onScreen = (view) => {
  const box = view.el.getBoundingClientRect();
  return box.bottom > 0 && box.top < window.innerHeight;
};
const inPageOrder = (a, b) => (a.el.compareDocumentPosition(b.el) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);

// Frames to wait for a chart on screen to arrive before drawing one below the fold.
const FRAMES_FOR_ON_SCREEN = 3;

// Let the browser paint what has been drawn before the next chart is drawn.
const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function pump(model) {
  if (page.pumping) return;
  page.pumping = true;
  try {
    const Plotly = await loadPlotly(model);
    let patience = FRAMES_FOR_ON_SCREEN;
    while (page.waiting.size) {
      const views = [...page.waiting].sort(inPageOrder);
      let view = views.find(onScreen);
      if (!view && patience-- > 0) {
        await painted(); // the page may still be adding charts, perhaps one on screen
        continue;
      }
      view = view || views[0];
      page.waiting.delete(view);
      patience = FRAMES_FOR_ON_SCREEN;
      try {
        await view.draw(Plotly);
      } catch (error) {
        view.fail(error); // this chart only: the others are still drawn
      }
      await painted();
    }
  } catch (error) {
    for (const view of page.waiting) view.fail(error);
    page.waiting.clear();
  } finally {
    page.pumping = false;
  }
}

const UNAVAILABLE =
  "Chart unavailable: please reload the page. · تعذّر عرض الرسم البياني: يُرجى إعادة تحميل الصفحة.";

export default {
  initialize({ model }) {
    loadPlotly(model).catch(() => {}); // start the download now; errors show in render
  },

  render({ model, el }) {
    const notice = document.createElement("div");
    notice.className = "wb-chart-notice";
    const plot = document.createElement("div");
    plot.className = "wb-plot";
    el.append(notice, plot);
    // Hold the figure's height before it is drawn, so that the page does not jump and the charts
    // below the fold are known to be there.
    const reserve = () => {
      const figure = model.get("figure");
      plot.style.minHeight = figure.layout && figure.layout.height ? `${figure.layout.height}px` : "";
    };
    reserve();
    let width = 0;

    const view = {
      el,
      async draw(Plotly) {
        reserve();
        const text = model.get("notice");
        const figure = model.get("figure");
        notice.innerHTML = text;
        notice.hidden = !text;
        if (text || !figure.data) {
          if (plot.data) Plotly.purge(plot);
          plot.hidden = true;
        } else {
          plot.hidden = false;
          await Plotly.react(plot, figure.data, figure.layout, figure.config);
          // Screen readers announce the chart by its title (plotly's SVG has no name).
          const title = (figure.layout.title && figure.layout.title.text) || "";
          plot.setAttribute("role", "img");
          plot.setAttribute("aria-label", title.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim());
          width = plot.clientWidth;
        }
        el.dataset.revision = String(model.get("revision"));
      },
      fail(error) {
        console.error(error);
        notice.textContent = UNAVAILABLE;
        notice.hidden = false;
      },
    };
    const schedule = () => {
      page.waiting.add(view);
      pump(model);
    };
    schedule();
    model.on("change:revision", schedule);

    // The plot takes its container's width: follow it when the page is resized.
    const resizing = new ResizeObserver(() => {
      if (plot.data && !plot.hidden && plot.clientWidth !== width) {
        width = plot.clientWidth;
        window.Plotly.Plots.resize(plot);
      }
    });
    resizing.observe(el);

    return () => {
      resizing.disconnect();
      page.waiting.delete(view);
      if (window.Plotly && plot.data) window.Plotly.purge(plot);
    };
  },
};
