// The annotated article. Hover and keyboard focus show a quote's card with CSS alone;
// this adds what CSS cannot: a first tap on a touch screen opens the card instead of
// leaving the page, Escape hides an open card, and cards are kept inside the window.
(function () {
  "use strict";
  var lastInput = "mouse";

  function anchors() { return document.querySelectorAll(".q-anchor"); }

  function closeAll(except) {
    anchors().forEach(function (anchor) {
      if (anchor !== except) { anchor.classList.remove("open"); }
    });
  }

  function keepInside(anchor) {
    var card = anchor.querySelector(".q-card");
    if (!card) { return; }
    card.style.left = "";
    var box = card.getBoundingClientRect();
    var room = document.documentElement.clientWidth - 8;
    if (box.width && box.right > room) {
      card.style.left = (card.offsetLeft - (box.right - room)) + "px";
      box = card.getBoundingClientRect();
    }
    if (box.width && box.left < 8) {
      card.style.left = (card.offsetLeft + (8 - box.left)) + "px";
    }
  }

  function open(anchor) {
    closeAll(anchor);
    anchor.classList.remove("dismissed");
    anchor.classList.add("open");
    keepInside(anchor);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.addEventListener("pointerdown", function (event) { lastInput = event.pointerType || "mouse"; }, true);
    document.addEventListener("keydown", function (event) {
      lastInput = "keyboard";
      if (event.key === "Escape") {
        anchors().forEach(function (anchor) {
          if (anchor.classList.contains("open") || anchor.matches(":hover, :focus-within")) {
            anchor.classList.remove("open");
            anchor.classList.add("dismissed");
          }
        });
      }
    }, true);

    anchors().forEach(function (anchor) {
      var mark = anchor.querySelector("a.q");
      mark.addEventListener("click", function (event) {
        if (lastInput === "touch" && !anchor.classList.contains("open")) {
          event.preventDefault();
          open(anchor);
        }
      });
      mark.addEventListener("focus", function () { keepInside(anchor); });
      anchor.addEventListener("mouseenter", function () { keepInside(anchor); });
      anchor.addEventListener("mouseleave", function () { anchor.classList.remove("dismissed"); });
      anchor.addEventListener("focusout", function () { anchor.classList.remove("dismissed"); });
    });

    // The later pieces of a split quote open the card of its first piece.
    document.querySelectorAll("a.q-more").forEach(function (piece) {
      piece.addEventListener("click", function (event) {
        var first = document.getElementById(piece.getAttribute("data-quote"));
        if (lastInput === "touch" && first && !first.parentNode.classList.contains("open")) {
          event.preventDefault();
          open(first.parentNode);
          first.parentNode.scrollIntoView({ block: "nearest" });
        }
      });
    });

    document.addEventListener("click", function (event) {
      if (!event.target.closest(".q-anchor, a.q-more")) { closeAll(null); }
    });
  });
})();
