// The scanner page's camera: shown only where the browser has BarcodeDetector with QR codes.
// Without it (or without JavaScript) staff type or paste the code; the form posts either way.
(function () {
  "use strict";
  var button = document.getElementById("camera");
  var video = document.getElementById("preview");
  var form = document.getElementById("scan-form");
  var code = document.getElementById("code");
  if (!button || !video || !form || !code || !("BarcodeDetector" in window)) {
    return;
  }
  var stream = null;
  var detector = null;

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
    }
    stream = null;
    video.hidden = true;
    button.textContent = button.dataset.start;
    button.setAttribute("aria-pressed", "false");
  }

  function look() {
    if (!stream) {
      return;
    }
    detector.detect(video).then(function (found) {
      if (found.length && found[0].rawValue) {
        code.value = found[0].rawValue;
        stop();
        form.requestSubmit();
        return;
      }
      window.requestAnimationFrame(look);
    }).catch(function () { window.requestAnimationFrame(look); });
  }

  function start() {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        button.textContent = button.dataset.stop;
        button.setAttribute("aria-pressed", "true");
        return video.play();
      })
      .then(look)
      .catch(stop);
  }

  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") < 0 || !navigator.mediaDevices) {
      return;
    }
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    button.hidden = false;
    button.addEventListener("click", function () {
      if (stream) { stop(); } else { start(); }
    });
  }).catch(function () { /* no camera scanning: typing still works */ });
}());
