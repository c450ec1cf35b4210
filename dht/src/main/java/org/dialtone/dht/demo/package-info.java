/** The local-network demo the README starts with. */
package org.dialtone.dht.demo;
