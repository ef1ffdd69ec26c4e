// Live descriptions (podium.web.accessibility_pages): new sentences from the channel's
// Server-Sent Events are added to the list, the newest is announced through the polite
// status region (once per burst: a second sentence within the pause replaces the first),
// and, when the listener turns audio on, each new sentence's WAV plays in turn.
(function () {
  "use strict";
  var list = document.getElementById("descriptions");
  var status = document.getElementById("describe-status");
  var button = document.getElementById("describe-audio");
  var player = document.getElementById("describe-player");
  if (!list || !status || !window.EventSource) {
    return;
  }
  var KEEP = 50;
  var PAUSE_MS = 700;
  var queue = [];
  var speaking = false;
  var pending = null;

  function announce(text) {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      status.textContent = text;
    }, PAUSE_MS);
  }

  function playNext() {
    if (!speaking || !player || !queue.length || !player.paused) {
      return;
    }
    player.src = queue.shift();
    var started = player.play();
    if (started && started.catch) {
      started.catch(function () { /* a refused play leaves the queue for the next */ });
    }
  }

  function add(description) {
    if (document.getElementById("d-" + description.id)) {
      return;
    }
    var item = document.createElement("li");
    item.id = "d-" + description.id;
    item.appendChild(document.createTextNode(description.text + " "));
    var link = document.createElement("a");
    link.href = description.audio;
    link.type = "audio/wav";
    link.textContent = list.getAttribute("data-listen");
    item.appendChild(link);
    list.appendChild(item);
    while (list.children.length > KEEP) {
      list.removeChild(list.firstElementChild);
    }
    var empty = document.getElementById("describe-empty");
    if (empty) {
      empty.parentNode.removeChild(empty);
    }
    announce(description.text);
    if (speaking) {
      queue.push(description.audio);
      playNext();
    }
  }

  if (button && player) {
    button.hidden = false;
    button.addEventListener("click", function () {
      speaking = !speaking;
      button.setAttribute("aria-pressed", speaking ? "true" : "false");
      if (!speaking) {
        queue = [];
        player.pause();
        return;
      }
      var newest = list.lastElementChild && list.lastElementChild.querySelector("a");
      if (newest) {
        queue.push(newest.getAttribute("href"));
      }
      playNext();
    });
    player.addEventListener("ended", playNext);
    player.addEventListener("error", playNext);
  }

  var url = list.getAttribute("data-stream");
  var last = list.getAttribute("data-last-id");
  if (last) {
    url += "&last_event_id=" + encodeURIComponent(last);
  }
  var source = new EventSource(url);
  source.addEventListener("description", function (event) {
    add(JSON.parse(event.data));
  });
})();
