// Podium tactile operator page: the pointer or the arrow keys move the ball on the
// playing area, keys or buttons send key events; frames go to
// POST /api/tactile/{rsc}/frames with the session's CSRF token. One request at a time:
// while one is out, newer positions replace the waiting one (the server merges to 25 a
// second anyway) and events queue in order, so a slow network never loses an event.
(function () {
  "use strict";

  var root = document.getElementById("tactile-input");
  var surface = document.getElementById("tactile-surface");
  var ball = document.getElementById("tactile-ball");
  var status = document.getElementById("tactile-sent");
  var messagesNode = document.getElementById("tactile-input-messages");
  if (!root || !surface || !ball || !status || !messagesNode || !window.fetch) {
    return;
  }

  var messages = JSON.parse(messagesNode.textContent);
  var width = Number(root.dataset.tactileWidth);
  var height = Number(root.dataset.tactileHeight);
  var KEYS = { g: "goal", p: "point", s: "serve", o: "possession", h: "shot", f: "foul", b: "period_start", e: "period_end" };
  var STEP = 0.01;
  var BIG_STEP = 0.05;
  var position = { x: 0.5, y: 0.5 };
  var outbox = [];
  var busy = false;

  function field(id) {
    return document.getElementById(id);
  }

  function noc(which) {
    var value = field("tactile-" + which).value.trim().toUpperCase();
    return /^[A-Z]{3}$/.test(value) ? value : null;
  }

  function side() {
    var checked = document.querySelector("input[name=side]:checked");
    return checked && checked.value ? noc(checked.value) : null;
  }

  function score() {
    var left = noc("left");
    var right = noc("right");
    if (!left || !right || left === right) {
      return null;
    }
    var result = {};
    result[left] = Number(field("tactile-score-left").value) || 0;
    result[right] = Number(field("tactile-score-right").value) || 0;
    return result;
  }

  function fill(template, values) {
    return Object.keys(values).reduce(function (text, name) {
      return text.replace("{" + name + "}", values[name]);
    }, template);
  }

  function draw() {
    ball.setAttribute("cx", String(position.x * width));
    ball.setAttribute("cy", String(position.y * height));
    ball.setAttribute("data-x", String(position.x));
    ball.setAttribute("data-y", String(position.y));
  }

  function frame(event) {
    var built = { x: Math.round(position.x * 1000) / 1000, y: Math.round(position.y * 1000) / 1000 };
    var holder = side();
    var current = score();
    if (holder) {
      built.side = holder;
    }
    if (current) {
      built.score = current;
    }
    if (event) {
      built.event = event;
    }
    return built;
  }

  function flush() {
    if (busy || outbox.length === 0) {
      return;
    }
    busy = true;
    var batch = outbox.splice(0, 100);
    fetch(root.dataset.tactilePost, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": root.dataset.tactileCsrf },
      body: JSON.stringify(batch)
    }).then(function (response) {
      if (!response.ok) {
        return response.json().then(function (body) {
          status.textContent = fill(messages.failed, { why: body.detail || body.error || response.status });
        });
      }
      batch.forEach(function (sent) {
        if (sent.event) {
          var words = [messages.events[sent.event]];
          if (sent.side) {
            words.push(sent.side);
          }
          if (sent.score) {
            words.push(Object.keys(sent.score).map(function (k) { return k + " " + sent.score[k]; }).join(", "));
          }
          status.textContent = fill(messages.sent, { what: words.join(", ") });
        }
      });
      return null;
    }).catch(function (error) {
      status.textContent = fill(messages.failed, { why: String(error) });
    }).then(function () {
      busy = false;
      flush();
    });
  }

  function queue(built) {
    var last = outbox[outbox.length - 1];
    if (!built.event && last && !last.event) {
      outbox[outbox.length - 1] = built; // the newer position replaces the waiting one
    } else {
      outbox.push(built);
    }
    flush();
  }

  function moveTo(x, y) {
    position.x = Math.min(1, Math.max(0, x));
    position.y = Math.min(1, Math.max(0, y));
    draw();
    queue(frame(null));
  }

  function addPoint() {
    var holder = document.querySelector("input[name=side]:checked");
    if (holder && holder.value) {
      var box = field("tactile-score-" + holder.value);
      box.value = String((Number(box.value) || 0) + 1);
    }
  }

  function send(event) {
    if (event === "goal" || event === "point") {
      addPoint();
    }
    queue(frame(event));
  }

  function choose(which) {
    field("tactile-side-" + which).checked = true;
    var holder = side();
    status.textContent = holder ? fill(messages.side, { side: holder }) : messages.nobody;
    queue(frame("possession"));
  }

  function pointerAt(event) {
    var svg = surface.querySelector("svg");
    var point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    var local = point.matrixTransform(svg.getScreenCTM().inverse());
    moveTo(local.x / width, local.y / height);
  }

  surface.addEventListener("pointerdown", function (event) {
    surface.focus();
    pointerAt(event);
  });
  surface.addEventListener("pointermove", function (event) {
    if (event.pointerType === "mouse" || event.buttons) {
      pointerAt(event);
    }
  });

  var ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  surface.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var arrow = ARROWS[event.key];
    if (arrow) {
      event.preventDefault();
      var step = event.shiftKey ? BIG_STEP : STEP;
      moveTo(position.x + arrow[0] * step, position.y + arrow[1] * step);
      status.textContent = fill(messages.position, { x: position.x.toFixed(2), y: position.y.toFixed(2) });
      return;
    }
    var key = event.key.toLowerCase();
    if (KEYS[key]) {
      event.preventDefault();
      send(KEYS[key]);
    } else if (key === "1" || key === "2" || key === "0") {
      event.preventDefault();
      choose({ "1": "left", "2": "right", "0": "none" }[key]);
    }
  });

  Array.prototype.forEach.call(root.querySelectorAll("button[data-event]"), function (button) {
    button.addEventListener("click", function () {
      send(button.dataset.event);
    });
  });

  draw();
}());
