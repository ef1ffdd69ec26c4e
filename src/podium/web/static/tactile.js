// Podium tactile tablet page: follow a unit's tactile stream (WS /feed/tactile/{rsc}),
// move the ball, announce key events and the score in the polite live region (never
// each position), and vibrate per event where the device can and the fan allows it.
// podium.web.tactile_pages explains the page; without this script it says what it needs.
(function () {
  "use strict";

  var root = document.getElementById("tactile");
  var ball = document.getElementById("tactile-ball");
  var announce = document.getElementById("tactile-announce");
  var messagesNode = document.getElementById("tactile-messages");
  if (!root || !ball || !announce || !messagesNode || !window.WebSocket || !window.JSON) {
    return;
  }

  var messages = JSON.parse(messagesNode.textContent);
  var width = Number(root.dataset.tactileWidth);
  var height = Number(root.dataset.tactileHeight);
  var scoreNode = document.getElementById("tactile-score");
  var possessionNode = document.getElementById("tactile-possession");
  var connection = document.getElementById("tactile-connection");
  var vibrateBox = document.getElementById("tactile-vibrate");
  var canVibrate = typeof navigator.vibrate === "function";
  var lastSeq = null;
  var retryMs = 1000;

  if (canVibrate) {
    document.getElementById("tactile-vibration").hidden = false;
  }

  function fill(template, name, value) {
    return template.replace("{" + name + "}", value);
  }

  function scoreText(score) {
    return score.map(function (pair) { return pair[0] + " " + pair[1]; }).join(", ");
  }

  function vibrate(event) {
    var pattern = messages.vibrations[event];
    if (canVibrate && pattern && vibrateBox && vibrateBox.checked) {
      try {
        navigator.vibrate(pattern);
      } catch (ignored) {
        // A browser may refuse before the first tap on the page: the announcement stays.
      }
    }
  }

  function show(frame) {
    ball.setAttribute("cx", String(frame.x * width));
    ball.setAttribute("cy", String(frame.y * height));
    ball.setAttribute("data-x", String(frame.x));
    ball.setAttribute("data-y", String(frame.y));
    if (frame.score) {
      scoreNode.textContent = fill(messages.score, "score", scoreText(frame.score));
    }
    possessionNode.textContent = frame.side ? fill(messages.side, "side", frame.side) : messages.nobody;
    if (frame.event) {
      var words = [messages.events[frame.event] || frame.event];
      if (frame.side) {
        words.push(frame.side);
      }
      if (frame.score) {
        words.push(fill(messages.score, "score", scoreText(frame.score)));
      }
      announce.textContent = words.join(". ");
      vibrate(frame.event);
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    var address = scheme + "//" + window.location.host + root.dataset.tactileStream;
    if (lastSeq !== null) {
      address += "?after=" + lastSeq;
    }
    var socket = new WebSocket(address);
    socket.onopen = function () {
      retryMs = 1000;
      connection.textContent = messages.connected;
      root.dataset.tactileConnected = "true";
    };
    socket.onmessage = function (message) {
      var frame = JSON.parse(message.data);
      if (frame.type === "frame") {
        lastSeq = frame.seq;
        show(frame);
      }
    };
    socket.onclose = function (closed) {
      root.dataset.tactileConnected = "false";
      connection.textContent = messages.reconnecting;
      if (closed.code === 1008) {
        return; // the stream refused this unit: retrying would not change that
      }
      window.setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 15000);
    };
  }

  connect();
}());
