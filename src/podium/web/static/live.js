// Podium live pages: listen to the public feed, fetch the page again on a relevant
// message, and replace in place each element after the live bar that changed
// (podium.web.live explains the design). Without this script the page is the same,
// server-rendered, with a Refresh link.
(function () {
  "use strict";

  var bar = document.getElementById("live");
  var status = document.getElementById("live-status");
  if (!bar || !status || !window.EventSource || !window.fetch || !window.DOMParser) {
    return;
  }

  var documents = (bar.dataset.liveDocuments || "").split(" ").filter(Boolean);
  var competition = bar.dataset.liveCompetition || "";
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  var DEBOUNCE_MS = 200; // one capture sends several documents within milliseconds
  var timer = null;
  var busy = false;
  var again = false;

  function relevant(frame) {
    if (competition && frame.competition_code !== competition) {
      return false;
    }
    return documents.some(function (wanted) {
      var parts = wanted.split(":");
      return parts[0] === frame.document_type && (parts[1] === "*" || parts[1] === frame.document_code);
    });
  }

  // The live content: the elements after the bar, in the bar's parent (<main>).
  function after(liveBar) {
    var found = [];
    for (var e = liveBar ? liveBar.nextElementSibling : null; e; e = e.nextElementSibling) {
      found.push(e);
    }
    return found;
  }

  // Where an element sits below another, as child indexes, to find its twin after a swap.
  function pathTo(element, root) {
    var path = [];
    while (element && element !== root) {
      var parent = element.parentElement;
      if (!parent) {
        return null;
      }
      path.unshift(Array.prototype.indexOf.call(parent.children, element));
      element = parent;
    }
    return element === root ? path : null;
  }

  function follow(root, path) {
    var element = root;
    for (var i = 0; i < path.length && element; i += 1) {
      element = element.children[path[i]];
    }
    return element || null;
  }

  function fade(element) {
    if (!reducedMotion.matches && element.animate) {
      // One slow fade, never a flash; nothing at all when motion is reduced.
      element.animate(
        [{ backgroundColor: "#fff4c2" }, { backgroundColor: "rgba(255, 244, 194, 0)" }],
        { duration: 1500, easing: "ease-out" }
      );
    }
  }

  // A table wider than the screen scrolls in its region: the element itself or inside it.
  function regions(element) {
    var found = Array.prototype.slice.call(element.querySelectorAll(".table-region"));
    return element.matches(".table-region") ? [element].concat(found) : found;
  }

  function replace(old, fresh) {
    var active = document.activeElement;
    var path = active && old.contains(active) ? pathTo(active, old) : null;
    var scrolled = regions(old).map(function (region) {
      return region.scrollLeft;
    });
    var copy = document.importNode(fresh, true);
    old.replaceWith(copy);
    regions(copy).forEach(function (region, i) {
      region.scrollLeft = i < scrolled.length ? scrolled[i] : 0;
    });
    if (path) {
      var target = follow(copy, path);
      if (!target || !target.matches(FOCUSABLE)) {
        // The focused row or link is gone: keep focus where it was, not on <body>.
        copy.setAttribute("tabindex", "-1");
        target = copy;
      }
      target.focus({ preventScroll: true });
    }
    fade(copy);
  }

  // Replace what changed; the same elements in the same places keep their state.
  function update(page) {
    var current = after(bar);
    var fresh = after(page.getElementById("live"));
    var changed = false;
    if (current.length !== fresh.length) {
      // Another shape (a first result table, a discipline more): replace it all.
      var parent = bar.parentElement;
      var hadFocus = current.some(function (e) {
        return e.contains(document.activeElement);
      });
      current.forEach(function (e) {
        e.remove();
      });
      var copies = fresh.map(function (e) {
        var copy = document.importNode(e, true);
        parent.appendChild(copy);
        fade(copy);
        return copy;
      });
      if (hadFocus && copies.length) {
        copies[0].setAttribute("tabindex", "-1");
        copies[0].focus({ preventScroll: true });
      }
      return true;
    }
    current.forEach(function (e, i) {
      if (e.outerHTML !== fresh[i].outerHTML) {
        replace(e, fresh[i]);
        changed = true;
      }
    });
    return changed;
  }

  function announce(text) {
    // Clear first, so the same words said twice (two updates in one minute) are re-read.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 100);
  }

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    fetch(bar.dataset.liveRefresh, { cache: "no-store", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === null) {
          return;
        }
        var page = new DOMParser().parseFromString(html, "text/html");
        var summary = page.getElementById("live-status");
        if (!summary) {
          return;
        }
        var x = window.scrollX;
        var y = window.scrollY;
        if (update(page)) {
          window.scrollTo(x, y);
          announce(summary.textContent.trim());
        }
      })
      .catch(function () {
        // The network failed: the next message tries again, and Refresh always works.
      })
      .then(function () {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  function listen(event) {
    var frame;
    try {
      frame = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    if (relevant(frame)) {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DEBOUNCE_MS);
    }
  }

  // EventSource reconnects by itself, sending Last-Event-ID; the stream address carries
  // the position the page was rendered at, so a page back from the history cache
  // replays what it missed and refreshes once.
  var source = null;
  function connect() {
    source = new EventSource(bar.dataset.liveStream);
    source.addEventListener("odf", listen);
  }
  window.addEventListener("pagehide", function () {
    source.close();
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      connect();
    }
  });
  connect();
})();
