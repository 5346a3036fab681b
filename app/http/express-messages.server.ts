import http from "node:http";
import type { Socket } from "node:net";
import type express from "express";

/**
 * Server options whose requests and responses are created with Express's
 * prototypes already in place (decision 011).
 *
 * Express gives every request and response a new prototype on arrival
 * (`setPrototypeOf(req, app.request)`). Measured on this V8, a plain Express app
 * then promoted about 2 MB to the old generation per scavenge (bare `node:http`:
 * none), which meant more major GCs and longer pauses. Why V8 keeps these objects
 * is not known: a plain object given a new prototype in a small script is not kept
 * (decision 012). When the objects are created with the right prototype, Express's
 * call changes nothing. The constructors are Node's own (plain functions, not classes, so they
 * can be applied to a new object); only the prototype differs.
 */
export function expressMessages(app: express.Express): http.ServerOptions {
  function ExpressRequest(this: http.IncomingMessage, socket: Socket) {
    Reflect.apply(http.IncomingMessage, this, [socket]);
  }
  ExpressRequest.prototype = app.request;
  function ExpressResponse(this: http.ServerResponse, req: http.IncomingMessage, options?: object) {
    Reflect.apply(http.ServerResponse, this, [req, options]);
  }
  ExpressResponse.prototype = app.response;
  return {
    IncomingMessage: ExpressRequest as unknown as typeof http.IncomingMessage,
    ServerResponse: ExpressResponse as unknown as typeof http.ServerResponse,
  };
}
